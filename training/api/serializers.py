from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partners.models import Area, Nation
from training.models import Course, Offering


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

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["quotas"] = [{"nation": q.nation.code, "seats": q.seats} for q in instance.quotas.all()]
        return data

    def validate_quotas(self, value):
        nations = [item["nation"] for item in value]
        if len(set(nations)) != len(nations):
            raise serializers.ValidationError(_("A nation appears twice in the quotas."))
        return {item["nation"]: item["seats"] for item in value}


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=["draft", "open", "closed", "running", "completed", "cancelled"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
