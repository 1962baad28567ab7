import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import VisibleViewSet, WriteViaServices
from core.plain import RowsById
from partners.models import Nation
from people import selectors, services
from people.models import Person


class PersonSerializer(serializers.ModelSerializer):
    nation = serializers.SlugRelatedField(slug_field="code", queryset=Nation.objects.all(), required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "nation",
            "name_ar",
            "name_en",
            "rank",
            "position",
            "organization",
            "email",
            "phone",
            "language",
        ]


class MatchSerializer(PersonSerializer):
    score = serializers.FloatField(read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "score"]


class PersonFilter(django_filters.FilterSet):
    nation = django_filters.CharFilter(field_name="nation__code")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Person
        fields = ["nation", "q"]

    def search(self, queryset, name, value):
        return queryset.search(value)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WriteViaServices, VisibleViewSet):
    """People: staff see and manage all; a focal point their nation's."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("nation").order_by("id")

    def create_with(self, data):
        return services.person_create(by=self.request.user, **data)

    def update_with(self, person, data):
        return services.person_update(by=self.request.user, person=person, **data)

    @extend_schema(
        parameters=[
            OpenApiParameter("name", str, required=True, description="A name in either script."),
            OpenApiParameter("nation", str, description="ISO 3166-1 alpha-3 code to look in."),
        ],
        responses=MatchSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def matches(self, request):
        """Existing people who may be the person named, best first, each with a `score`."""
        name = request.query_params.get("name", "").strip()
        if not name:
            raise ValidationError({"name": [_("Give a name to look for.")]})
        nation = None
        if request.query_params.get("nation"):
            nation = Nation.objects.filter(code=request.query_params["nation"].upper()).first()
            if nation is None:
                raise ValidationError({"nation": [_("Unknown nation code.")]})
        scored = selectors.scored_matches(user=request.user, name=name, nation=nation, limit=20)
        rows = _match_rows.read([pk for _score, pk in scored])
        results = [{**_match(rows[pk]), "score": score} for score, pk in scored]
        return Response({"count": len(results), "next": None, "previous": None, "results": results})


# A match as MatchSerializer writes it, from values (a test holds the two equal): serializing 20
# model instances cost more than finding them.
_match_rows = RowsById(Person, ["nation__code", *PersonSerializer.Meta.fields[2:]])


def _match(row):
    return {"id": row["pk"], "nation": row["nation__code"], **{f: row[f] for f in PersonSerializer.Meta.fields[2:]}}
