from django.urls import path

from evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("evaluations/<int:pk>/", views.answer, name="answer"),
    path("manage/offerings/<str:code>/evaluation/", views.offering_report, name="offering"),
    path("manage/courses/<str:code>/evaluation/", views.course_report, name="course"),
]
