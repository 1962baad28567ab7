from django import template
from django.urls import translate_url
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.dates import long_date, short_range
from core.rows import badge, text

register = template.Library()
register.filter("long_date", long_date)
register.filter("date_range", short_range)


@register.filter
def user_name(user):
    """A user's full name, or user name; a dash for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@register.simple_tag(takes_context=True)
def switch_language_url(context, lang):
    """The current page in the other language, keeping the query string."""
    request = context["request"]
    url = translate_url(request.get_full_path(), lang)
    if url == request.get_full_path():  # a path outside i18n_patterns
        return f"/{lang}/"
    return url


def _query_without(request, *names):
    """The request's query string without `names`, encoded once per request."""
    key = ("query_without", names)
    cache = request.__dict__.setdefault("_shiraka_queries", {})
    if key not in cache:
        params = request.GET.copy()
        for name in names:
            params.pop(name, None)
        cache[key] = params.urlencode()
    return cache[key]


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column heading that sorts the table by `key`, and reverses on a second click."""
    request = context["request"]
    current = request.GET.get("sort", context.get("default_sort", ""))
    others = _query_without(request, "page", "sort")
    sort = f"sort={'-' if current == key else ''}{key}"  # keys are plain words
    arrow, state = "", "none"
    if current == key:
        arrow, state = " ▲", "ascending"
    elif current == f"-{key}":
        arrow, state = " ▼", "descending"
    href = text(f"?{others}&{sort}" if others else f"?{sort}")
    return mark_safe(
        f'<a class="sort-link" href="{href}" aria-sort="{state}" title="{text(_("Sort"))}">{text(label)}{arrow}</a>'
    )


@register.simple_tag(takes_context=True)
def pager(context, page):
    """The pages of a list: where this page is, the previous and the next. Written here rather
    than in a template: it cost a list page more than its rows."""
    if not page.has_other_pages():
        return ""
    paginator, span = page.paginator, {"start": page.start_index(), "end": page.end_index()}
    if getattr(paginator, "capped", False):
        span = _("%(start)s–%(end)s of more than %(total)s") % {**span, "total": paginator.cap}
    else:
        span = _("%(start)s–%(end)s of %(total)s") % {**span, "total": paginator.count}
    others = _query_without(context["request"], "page")

    def link(number, rel, label):
        query = f"{others}&page={number}" if others else f"page={number}"
        return (
            f'<li class="page-item"><a class="page-link" href="?{escape(query)}" rel="{rel}">{escape(label)}</a></li>'
        )

    return mark_safe(
        f'<nav aria-label="{escape(_("Pages"))}" class="d-flex justify-content-between align-items-center mt-3">'
        f'<span class="text-muted small">{escape(span)}</span><ul class="pagination pagination-sm mb-0">'
        + (link(page.previous_page_number(), "prev", _("Previous")) if page.has_previous() else "")
        + f'<li class="page-item active" aria-current="page"><span class="page-link">{page.number} / '
        f"{paginator.num_pages}</span></li>"
        + (link(page.next_page_number(), "next", _("Next")) if page.has_next() else "")
        + "</ul></nav>"
    )


@register.simple_tag
def figure_rows(rows, *columns):
    """Table rows of a name and its figures, written in Python: a year's table by nation has
    150 rows of six cells, on which the template engine spent more than on the rest of the page."""
    html = []
    for row in rows:
        # Figures are whole numbers: int() is their escaping, cheaper than escaping a thousand cells.
        figures = "".join(f'<td class="text-end">{int(row[column])}</td>' for column in columns)
        html.append(f"<tr><td>{text(row['name'])}</td>{figures}</tr>")
    return mark_safe("".join(html))


@register.simple_tag
def status_badge(obj):
    """The coloured badge of an offering's or a nomination's status. A tag, not an included
    template: lists show one per row, and an include per row cost more than the row."""
    kind = "nomination" if obj._meta.model_name == "nomination" else "status"
    return mark_safe(badge(kind, obj.status, obj.get_status_display()))
