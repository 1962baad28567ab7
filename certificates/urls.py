from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<str:number>.pdf", views.certificate_pdf, name="pdf"),
    path("certificates/<str:number>/revoke/", views.revoke, name="revoke"),
    path("manage/offerings/<str:code>/certificates/", views.offering_certificates, name="offering"),
    path("manage/offerings/<str:code>/certificates/issue/", views.issue, name="issue"),
]
