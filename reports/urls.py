from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reports/year/", views.annual, name="annual_current"),
    path("reports/year/<int:year>/", views.annual, name="annual"),
]
