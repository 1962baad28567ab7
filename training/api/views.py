import django_filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core import references
from core.api import VisibleViewSet, WriteViaServices, service_errors
from core.drf import Pagination
from partners.models import Area
from training import services
from training.api.serializers import (
    LIST_FIELDS,
    CourseSerializer,
    ListRelations,
    OfferingSerializer,
    TransitionSerializer,
)
from training.models import Course, Offering


class CodeFilter(django_filters.CharFilter):
    """A reference row (an area) named by its code, filtered by its id, read first: given the code
    (a join), the planner cannot tell which rows are the area's, and walked every offering of a
    status to find a page of them (2.3 ms; 8 with a statement's generic plan) where the area's
    own index reads the page alone. An unknown code finds nothing. (The codes' ids are kept,
    core.references.)"""

    def __init__(self, model, **kwargs):
        super().__init__(**kwargs)
        self.reference = model

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        pk = references.pk_of(self.reference, value)
        return queryset.filter(**{self.field_name: pk}) if pk is not None else queryset.none()


class CourseFilter(django_filters.FilterSet):
    area = CodeFilter(Area, field_name="area_id")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Course
        fields = ["area", "active"]

    def search(self, queryset, name, value):
        return queryset.search(value)


class OfferingFilter(django_filters.FilterSet):
    area = CodeFilter(Area, field_name="area_id")
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Offering
        fields = ["status", "course", "admission", "area", "start_after", "start_before"]

    def search(self, queryset, name, value):
        return queryset.search(value)


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WriteViaServices, VisibleViewSet):
    queryset = Course.objects.all()
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    def create_with(self, data):
        return services.course_create(by=self.request.user, **data)

    def update_with(self, course, data):
        return services.course_update(by=self.request.user, course=course, **data)


class OfferingPagination(Pagination):
    fields = LIST_FIELDS
    also = ListRelations()


class OfferingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WriteViaServices, VisibleViewSet):
    queryset = Offering.objects.all()
    serializer_class = OfferingSerializer
    filterset_class = OfferingFilter
    pagination_class = OfferingPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().defer("search_document").order_by("start_date", "id")

    def create_with(self, data):
        return services.offering_create(by=self.request.user, **data)

    def update_with(self, offering, data):
        return services.offering_update(by=self.request.user, offering=offering, **data)

    @extend_schema(request=TransitionSerializer, responses=OfferingSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        offering = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            offering = services.offering_transition(by=request.user, offering=offering, **body.validated_data)
        offering = self.get_queryset().get(pk=offering.pk)
        return Response(
            OfferingSerializer(offering, context=self.get_serializer_context()).data, status=status.HTTP_200_OK
        )
