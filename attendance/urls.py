from django.urls import path

from attendance import views

app_name = "attendance"
urlpatterns = [
    path("manage/offerings/<str:code>/attendance/", views.grid, name="grid"),
    path("manage/offerings/<str:code>/attendance/mark/", views.mark, name="mark"),
]
