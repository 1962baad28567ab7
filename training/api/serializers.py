from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from core.plain import among
from core.rows import chooser
from partners.models import Area, Nation
from training.models import Course, Offering, Quota


class LanguagesField(serializers.ListField):
    child = serializers.ChoiceField(choices=["ar", "en"])

    def to_representation(self, value):
        return [code for code in value.split(",") if code]

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        if not codes:
            raise serializers.ValidationError(_("Choose Arabic, English or both."))
        return ",".join(sorted(set(codes)))


class CourseSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    languages = LanguagesField()

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title_en",
            "title_ar",
            "area",
            "summary_en",
            "summary_ar",
            "objectives_en",
            "objectives_ar",
            "audience_en",
            "audience_ar",
            "prerequisites_en",
            "prerequisites_ar",
            "duration_days",
            "languages",
            "active",
        ]


class QuotaSerializer(serializers.Serializer):
    nation = serializers.SlugRelatedField(slug_field="code", queryset=Nation.objects.all())
    seats = serializers.IntegerField(min_value=0)


def _relations_statement(connection, ids):
    q = connection.ops.quote_name
    links = Offering.instructors.through._meta.db_table
    of_quota, quota_params = among(connection, f"q.{q('offering_id')}", ids)
    of_link, link_params = among(connection, f"i.{q('offering_id')}", ids)
    sql = (
        f"SELECT 1, q.{q('offering_id')}, n.{q('code')}, q.{q('seats')} FROM {q(Quota._meta.db_table)} q "
        f"JOIN {q(Nation._meta.db_table)} n ON n.{q('id')} = q.{q('nation_id')} WHERE {of_quota} "
        f"UNION ALL SELECT 2, i.{q('offering_id')}, NULL, i.{q('user_id')} FROM {q(links)} i "
        f"WHERE {of_link} ORDER BY 1, 3, 4"
    )
    return sql, [*quota_params, *link_params]


def _relations_of(rows):
    quotas, instructors = defaultdict(list), defaultdict(list)
    for kind, offering_id, code, number in rows:
        if kind == 1:
            quotas[offering_id].append((code, number))
        else:
            instructors[offering_id].append(number)
    return quotas, instructors


def _relations(ids):
    """({offering id: [(nation code, seats)]}, {offering id: [instructor ids]}) of a page of
    offerings, read in one plain statement: model instances for every quota and nation of 50
    offerings cost more than the rest of the response, and building the two queries' lists of
    50 ids through the ORM cost more than answering them."""
    if not ids:
        return defaultdict(list), defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(*_relations_statement(connection, ids))
        return _relations_of(cursor.fetchall())


class ListRelations:
    """A listed page's quotas and instructors, read with its offerings (the API's list, see
    core.plain.RowsById.read): sent with them, they took 0.73 ms at the median for 50
    offerings, where read after them 0.90."""

    def statement(self, connection, ids):
        return _relations_statement(connection, ids)

    def attach(self, found, rows):
        quotas, instructors = _relations_of(rows)
        for pk, row in found.items():
            row["quota_rows"], row["instructor_ids"] = quotas[pk], instructors[pk]


def _attach_relations(offerings):
    quotas, instructors = _relations([offering.pk for offering in offerings])
    for offering in offerings:
        offering.quota_rows, offering.instructor_ids = quotas[offering.pk], instructors[offering.pk]


# What a list of offerings reads of each, as values (core.drf.Pagination.fields).
LIST_FIELDS = (
    "course_id",
    "code",
    "start_date",
    "end_date",
    "venue_en",
    "venue_ar",
    "capacity",
    "admission",
    "nomination_deadline",
    "completion_threshold",
    "status",
    "seats_taken",
    "director_id",
)


def _listed(rows):
    """The representations of a page of offerings read as values: the same as
    OfferingSerializer's of each (a test holds them equal), without building a model instance
    and running a dozen serializer fields for each of 50 offerings."""
    if rows and "quota_rows" in rows[0]:  # read with them (ListRelations)
        quotas = {row["pk"]: row["quota_rows"] for row in rows}
        instructors = {row["pk"]: row["instructor_ids"] for row in rows}
    else:
        quotas, instructors = _relations([row["pk"] for row in rows])
    pick = chooser()
    return [
        {
            "id": row["pk"],
            "course": row["course_id"],
            "code": row["code"],
            "start_date": row["start_date"].isoformat(),
            "end_date": row["end_date"].isoformat(),
            "venue": pick(row, "venue"),
            "venue_en": row["venue_en"],
            "venue_ar": row["venue_ar"],
            "capacity": row["capacity"],
            "admission": row["admission"],
            "nomination_deadline": row["nomination_deadline"].isoformat(),
            "completion_threshold": row["completion_threshold"],
            "status": row["status"],
            "quotas": [{"nation": code, "seats": seats} for code, seats in quotas[row["pk"]]],
            "seats_taken": row["seats_taken"],
            "director": row["director_id"],
            "instructors": instructors[row["pk"]],
        }
        for row in rows
    ]


class OfferingListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        offerings = list(data.all() if hasattr(data, "all") else data)
        if offerings and isinstance(offerings[0], dict):
            return _listed(offerings)
        _attach_relations(offerings)
        return [self.child.to_representation(offering) for offering in offerings]


class OfferingSerializer(serializers.ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    quotas = QuotaSerializer(many=True, required=False)
    venue = serializers.CharField(read_only=True)
    director = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    instructors = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), many=True, required=False)

    class Meta:
        model = Offering
        fields = [
            "id",
            "course",
            "code",
            "start_date",
            "end_date",
            "venue",
            "venue_en",
            "venue_ar",
            "capacity",
            "admission",
            "nomination_deadline",
            "completion_threshold",
            "status",
            "quotas",
            "seats_taken",
            "director",
            "instructors",
        ]
        read_only_fields = ["status", "seats_taken"]
        list_serializer_class = OfferingListSerializer

    @cached_property
    def _plain_fields(self):
        return [f for f in self._readable_fields if f.field_name not in ("quotas", "instructors")]

    def to_representation(self, instance):
        if not hasattr(instance, "quota_rows"):
            _attach_relations([instance])
        data = {}
        for field in self._plain_fields:
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if value is None else field.to_representation(attribute)
        data["quotas"] = [{"nation": code, "seats": seats} for code, seats in instance.quota_rows]
        data["instructors"] = instance.instructor_ids
        return data

    def validate_quotas(self, value):
        nations = [item["nation"] for item in value]
        if len(set(nations)) != len(nations):
            raise serializers.ValidationError(_("A nation appears twice in the quotas."))
        return {item["nation"]: item["seats"] for item in value}


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=["draft", "open", "closed", "running", "completed", "cancelled"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
