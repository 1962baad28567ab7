from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import services
from attendance.models import Attendance, AttendanceStatus
from core.api import service_errors
from core.visibility import get_visible_or_404
from training.models import Offering


class EntrySerializer(serializers.Serializer):
    person = serializers.IntegerField()
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceView(APIView):
    """The attendance of an offering: one record per participant and day."""

    permission_classes = [permissions.IsAuthenticated]

    def _offering(self, request, pk):
        offering = get_visible_or_404(Offering, request.user, pk=pk)
        if not services.can_take(request.user, offering):
            raise PermissionDenied
        return offering

    @extend_schema(responses=EntrySerializer(many=True))
    def get(self, request, pk):
        offering = self._offering(request, pk)
        records = Attendance.objects.filter(nomination__offering=offering).select_related("nomination")
        data = [{"person": r.nomination.person_id, "date": r.date, "status": r.status} for r in records]
        return Response(EntrySerializer(data, many=True).data)

    @extend_schema(request=EntrySerializer(many=True), responses=EntrySerializer(many=True))
    def post(self, request, pk):
        offering = self._offering(request, pk)
        body = EntrySerializer(data=request.data, many=True)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.attendance_record(by=request.user, offering=offering, entries=body.validated_data)
        return self.get(request, pk)
