"""Settings-level pieces of the API (kept apart from core.api so DRF can import them early)."""

from functools import partial

from rest_framework import pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, NotAllowed
from core.tables import IdFirstPaginator


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    # The fields a viewset's list reads as values instead of model instances (see core.tables).
    fields = None
    # The count of the list being paged, as a statement of the totals that keep it (CountSql), or
    # None to count the list: a viewset that keeps its list's count says so by `kept_count()`.
    counted = None
    # More about each row, read with the rows (core.plain.RowsById.read), where `fields` is given.
    also = None

    @property
    def django_paginator_class(self):
        return partial(IdFirstPaginator, fields=self.fields, counted=self.counted, also=self.also)

    def paginate_queryset(self, queryset, request, view=None):
        kept = getattr(view, "kept_count", None)
        self.counted = kept() if kept else None
        return super().paginate_queryset(queryset, request, view)


def exception_handler(exc, context):
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
