from django.urls import path

from nominations import dashboard, upload_views, views

app_name = "nominations"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("nominations/", views.nomination_list, name="list"),
    path("nominations/new/", views.nominate, name="create"),
    path("nominations/new/<str:code>/", views.nominate, name="create_for"),
    path("nominations/new/<str:code>/people/", views.candidates, name="candidates"),
    path("nominations/new/<str:code>/spreadsheet/", upload_views.upload, name="upload"),
    path("nominations/new/<str:code>/spreadsheet/<int:pk>/", upload_views.upload_review, name="upload_review"),
    path("nominations/template.<str:fmt>", upload_views.template, name="template"),
    path("nominations/<int:pk>/", views.nomination_detail, name="detail"),
    path("nominations/<int:pk>/decide/", views.decide, name="decide"),
    path("nominations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("manage/offerings/<str:code>/nominations/", views.roster, name="roster"),
]
