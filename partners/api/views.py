from rest_framework import mixins, serializers

from core.api import VisibleViewSet
from partners.models import Area, Nation


class NationSerializer(serializers.ModelSerializer):
    groups = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Nation
        fields = ["code", "name_en", "name_ar", "groups"]


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name_en", "name_ar"]


class NationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    queryset = Nation.objects.all()
    serializer_class = NationSerializer
    lookup_field = "code"
    filterset_fields = ["groups__code"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("groups")


class AreaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    lookup_field = "code"
