import django_filters
from django.db.models import Exists, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.response import Response

from core import plain, references
from core.api import FieldsOnce, VisibleViewSet, service_errors
from core.visibility import FOR_EACH_KIND_OF_USER
from nominations import services
from nominations.models import Nomination, NominationEvent, NominationStatus
from partners.models import Nation
from people.models import Person
from reports.figures import visible_nominations_kept
from reports.models import STATES
from training.models import Offering


def _both_seen(user, offering, person):
    """Whether `user` may see the offering (a row) and the person (its value)."""
    person_seen = Exists(Person.objects.visible_to(user).filter(pk=person))
    return Offering.objects.visible_to(user).filter(pk=offering).annotate(seen=person_seen).values_list("seen")[:1]


_seen = plain.Compiled(_both_seen, values=2, **FOR_EACH_KIND_OF_USER)


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


class NominationInput(serializers.Serializer):
    offering = serializers.IntegerField()
    person = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


_moment = serializers.DateTimeField()


def answer(nomination):
    """A nomination as a service left it (with its nation), as NominationSerializer writes it (a
    test holds the two equal): its timeline read as values, or as the service wrote it for a new
    nomination, its place on the waiting list counted."""
    if getattr(nomination, "new_events", None) is not None:
        events = [
            (e.at, e.kind, e.from_status, e.to_status, e.by.username if e.by_id else None, e.reason)
            for e in nomination.new_events
        ]
    else:
        events = nomination.events.order_by("at", "id").values_list(
            "at", "kind", "from_status", "to_status", "by__username", "reason"
        )
    return {
        "id": nomination.pk,
        "offering": nomination.offering_id,
        "person": nomination.person_id,
        "nation": nomination.nation.code,
        "status": nomination.status,
        "waitlist_position": nomination.waitlist_place(),
        "submitted_at": _moment.to_representation(nomination.submitted_at),
        "history": [_event(*row) for row in events],
    }


def _event(at, kind, was, to, by, reason):
    return {"at": _moment.to_representation(at), "kind": kind, "from_status": was, "to_status": to, "by": by,
            "reason": reason}  # fmt: skip


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

    def kept_count(self):
        """The list's count from the maintained totals, where its filters allow (as the list
        page's, nominations.views._kept): counting everyone's 1,200,000 nominations took a
        staff member's every page 220 ms. None where they do not; the filters are valid here."""
        params, user = self.request.query_params, self.request.user
        if params.get("offering") or params.get("person"):
            return None
        statuses = [value for value in params.getlist("status") if value]
        if any(value not in STATES for value in statuses):
            return None
        code = params.get("nation")
        nation_id = references.pk_of(Nation, code) if code else None
        if code and nation_id is None:
            return None
        return visible_nominations_kept(user, nation_id=nation_id, status=statuses)

    @extend_schema(request=NominationInput, responses={201: NominationSerializer})
    def create(self, request, *args, **kwargs):
        """Nominate. The ids are checked against what the user may see, as values: the service
        reads both records again itself, the offering locked. Reading them here as instances
        through the model serializer's relations, and writing the answer through it, cost a
        nomination as much as the nominating."""
        body = NominationInput(data=request.data)
        body.is_valid(raise_exception=True)
        data, user = body.validated_data, request.user
        # Both are usually there: one query asks for both, and only a refusal asks which is not.
        if [bool(seen) for (seen,) in _seen.rows(user, data["offering"], data["person"])] != [True]:
            seen = {
                field: model.objects.visible_to(user).filter(pk=data[field])
                for field, model in (("offering", Offering), ("person", Person))
            }
            missing = {
                field: [PrimaryKeyRelatedField.default_error_messages["does_not_exist"].format(pk_value=data[field])]
                for field, records in seen.items()
                if not records.exists()
            }
            if missing:
                raise ValidationError(missing)
        with service_errors():
            nomination = services.nomination_submit(
                by=user, offering=Offering(pk=data["offering"]), person=Person(pk=data["person"]), reason=data["reason"]
            )
        return Response(answer(nomination), status=status.HTTP_201_CREATED)

    def _answer(self, nomination):
        return Response(answer(nomination), status=status.HTTP_200_OK)

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
