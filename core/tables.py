"""Sorting and paging of list pages, the same way everywhere."""

from django.core.paginator import Paginator


def sort_queryset(request, queryset, columns, default):
    """Order by the `sort` parameter when it names one of `columns` (key → field or fields)."""
    key = request.GET.get("sort", default)
    name = key.lstrip("-")
    if name not in columns:
        key, name = default, default.lstrip("-")
    fields = columns[name] if isinstance(columns[name], (list, tuple)) else [columns[name]]
    if key.startswith("-"):
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    return queryset.order_by(*fields, "pk" if not key.startswith("-") else "-pk"), key


def paginate(request, queryset, per_page=20):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
