from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/offerings/<str:code>/", views.offering_detail, name="offering_detail"),
    path("catalogue/courses/<str:code>/", views.course_detail, name="course_detail"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("manage/courses/", views.course_manage, name="course_manage"),
    path("manage/courses/new/", views.course_edit, name="course_create"),
    path("manage/courses/<str:code>/edit/", views.course_edit, name="course_edit"),
    path("manage/offerings/", views.offering_manage, name="offering_manage"),
    path("manage/offerings/new/", views.offering_edit, name="offering_create"),
    path("manage/offerings/<str:code>/edit/", views.offering_edit, name="offering_edit"),
    path("manage/offerings/<str:code>/transition/", views.offering_transition, name="offering_transition"),
]
