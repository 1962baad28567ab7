from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api.views import ObtainToken
from attendance.api.views import AttendanceView
from certificates.api.views import CertificateViewSet, IssueForOffering, Verify
from nominations.api.views import NominationViewSet
from partners.api.views import AreaViewSet, NationViewSet
from people.api.views import PersonViewSet
from training.api.views import CourseViewSet, OfferingViewSet

router = DefaultRouter()
router.register("nations", NationViewSet, basename="nation")
router.register("areas", AreaViewSet, basename="area")
router.register("courses", CourseViewSet, basename="course")
router.register("offerings", OfferingViewSet, basename="offering")
router.register("people", PersonViewSet, basename="person")
router.register("nominations", NominationViewSet, basename="nomination")
router.register("certificates", CertificateViewSet, basename="certificate")

# The schema changes only with a deployment, and drf-spectacular builds it on each request (50 to
# 80 ms): each process keeps it five minutes, for each language (the cache's keys hold the active
# language) and each format asked for (DRF's answer varies on Accept).
schema = cache_page(300)(SpectacularAPIView.as_view())

urlpatterns = [
    path("api/v1/auth/token/", ObtainToken.as_view(), name="api-token"),
    path("api/v1/offerings/<int:pk>/attendance/", AttendanceView.as_view(), name="api-attendance"),
    path("api/v1/offerings/<int:pk>/certificates/", IssueForOffering.as_view(), name="api-offering-certificates"),
    path("api/v1/verify/<str:code>/", Verify.as_view(), name="api-verify"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", schema, name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
urlpatterns += i18n_patterns(
    path("", include("core.urls")),
    path("", include("training.urls")),
    path("", include("nominations.urls")),
    path("", include("attendance.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluations.urls")),
    path("", include("reports.urls")),
    path("people/", include("people.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
