import django_filters
from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from certificates import pdf, services
from certificates.models import Certificate, CertificateCounter
from core.api import VisibleViewSet, service_errors
from core.tables import CountSql
from core.visibility import get_visible_or_404, sees_all_nations
from training.models import Offering


class CertificateSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="nomination.person_id", read_only=True)
    offering = serializers.IntegerField(source="nomination.offering_id", read_only=True)
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["number", "person", "offering", "issued_at", "revoked_at", "verify_url", "pdf_url"]

    def get_verify_url(self, certificate) -> str:
        return pdf.verify_url(certificate)

    def get_pdf_url(self, certificate) -> str:
        request = self.context.get("request")
        path = certificate.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CertificateFilter(django_filters.FilterSet):
    offering = django_filters.NumberFilter(field_name="nomination__offering")

    class Meta:
        model = Certificate
        fields = ["offering"]


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    queryset = Certificate.objects.all()
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "number"

    def get_queryset(self):
        return super().get_queryset().select_related("nomination").order_by("number")

    def kept_count(self):
        """Everyone's certificates, for a reader who sees them all, from the yearly counters:
        a year's last number is how many were issued in it, as a certificate and its number are
        written in one transaction and by no other way (certificates.services). Counting 850,000
        certificates took each page of the list 45 ms. None for any other list."""
        if self.request.query_params.get("offering") or not sees_all_nations(self.request.user):
            return None
        q = connection.ops.quote_name
        return CountSql(f"SELECT COALESCE(SUM({q('last')}), 0) FROM {q(CertificateCounter._meta.db_table)}", [])

    @extend_schema(request=RevokeSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, number=None):
        certificate = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            certificate = services.certificate_revoke(by=request.user, certificate=certificate, **body.validated_data)
        return Response(self.get_serializer(certificate).data)


class IssueForOffering(APIView):
    """Certificates for every completed participant of the offering who has none yet."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=CertificateSerializer(many=True))
    def post(self, request, pk):
        offering = get_visible_or_404(Offering, request.user, pk=pk)
        with service_errors():
            services.certificates_issue_for_offering(by=request.user, offering=offering)
        certificates = Certificate.objects.filter(nomination__offering=offering).select_related("nomination")
        data = CertificateSerializer(certificates.order_by("number"), many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    revoked = serializers.BooleanField()
    name_ar = serializers.CharField()
    name_en = serializers.CharField()
    course = serializers.DictField(child=serializers.CharField())
    dates = serializers.DictField(child=serializers.DateField())


class Verify(APIView):
    """Anyone: is this certificate valid? Nothing more about the person than the names."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"

    @extend_schema(responses=VerificationSerializer)
    def get(self, request, code):
        certificate = Certificate.objects.filter(code=code).first()
        if certificate is None:
            raise NotFound
        return Response(
            {
                "valid": certificate.is_valid,
                "revoked": not certificate.is_valid,
                "name_ar": certificate.name_ar,
                "name_en": certificate.name_en,
                "course": {"en": certificate.course_en, "ar": certificate.course_ar},
                "dates": {"start": certificate.start_date, "end": certificate.end_date},
            }
        )
