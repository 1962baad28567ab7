import django_filters
from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import FieldsOnce, VisibleViewSet, service_errors
from nominations import services
from nominations.models import Nomination, NominationEvent, NominationStatus
from people.models import Person
from training.models import Offering


class EventSerializer(FieldsOnce, serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = NominationEvent
        fields = ["at", "kind", "from_status", "to_status", "by", "reason"]


class NominationSerializer(FieldsOnce, serializers.ModelSerializer):
    offering = serializers.PrimaryKeyRelatedField(queryset=Offering.objects.none())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    nation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True)
    history = EventSerializer(source="events", many=True, read_only=True)
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "offering",
            "person",
            "nation",
            "status",
            "waitlist_position",
            "submitted_at",
            "history",
            "reason",
        ]
        read_only_fields = ["status", "submitted_at"]
        validators = []  # "already nominated" is the service's rule, answered with 409

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only what the user may see can be named; the rest reads as "does not exist".
            self.fields["offering"].queryset = Offering.objects.visible_to(request.user)
            self.fields["person"].queryset = Person.objects.visible_to(request.user)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(services.DECISIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NominationFilter(django_filters.FilterSet):
    nation = django_filters.CharFilter(field_name="nation__code")
    status = django_filters.MultipleChoiceFilter(choices=NominationStatus.choices)

    class Meta:
        model = Nomination
        fields = ["offering", "person", "nation", "status"]


def _timeline():
    return Prefetch("events", queryset=NominationEvent.objects.select_related("by").order_by("at", "id"))


class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, VisibleViewSet):
    """Nominations: staff see all; a focal point their nation's; a participant their own."""

    queryset = Nomination.objects.all()
    serializer_class = NominationSerializer
    filterset_class = NominationFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        nominations = (
            super().get_queryset().select_related("nation").prefetch_related(_timeline()).order_by("submitted_at", "id")
        )
        return nominations.with_waitlist_position() if self.action in ("list", "retrieve") else nominations

    def _fresh(self, nomination):
        """The nomination as a service left it (with its nation), for the answer: its timeline
        read in one query, its place on the waiting list counted."""
        prefetch_related_objects([nomination], _timeline())
        nomination.waitlist_position = nomination.waitlist_place()
        return nomination

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors():
            nomination = services.nomination_submit(
                by=self.request.user, offering=data["offering"], person=data["person"], reason=data.get("reason", "")
            )
        serializer.instance = self._fresh(nomination)

    def _answer(self, nomination):
        fresh = self._fresh(nomination)
        return Response(
            NominationSerializer(fresh, context=self.get_serializer_context()).data, status=status.HTTP_200_OK
        )

    @extend_schema(request=DecisionSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        nomination = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            nomination = services.nomination_decide(by=request.user, nomination=nomination, **body.validated_data)
        return self._answer(nomination)

    @extend_schema(request=ReasonSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        nomination = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            nomination = services.nomination_withdraw(by=request.user, nomination=nomination, **body.validated_data)
        return self._answer(nomination)
