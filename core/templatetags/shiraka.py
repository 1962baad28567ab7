from django import template
from django.urls import translate_url
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.dates import long_date, short_range
from core.rows import badge

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


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column heading that sorts the table by `key`, and reverses on a second click."""
    request = context["request"]
    current = request.GET.get("sort", context.get("default_sort", ""))
    params = request.GET.copy()
    params.pop("page", None)
    descending = current == key
    params["sort"] = f"-{key}" if descending else key
    arrow = ""
    if current == key:
        arrow = " ▲"
    elif current == f"-{key}":
        arrow = " ▼"
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    return format_html(
        '<a class="sort-link" href="?{}" aria-sort="{}" title="{}">{}{}</a>',
        params.urlencode(),
        state,
        _("Sort"),
        label,
        arrow,
    )


@register.simple_tag
def figure_rows(rows, *columns):
    """Table rows of a name and its figures, written in Python: a year's table by nation has
    150 rows of six cells, on which the template engine spent more than on the rest of the page."""
    html = []
    for row in rows:
        # Figures are whole numbers: int() is their escaping, cheaper than escaping a thousand cells.
        figures = "".join(f'<td class="text-end">{int(row[column])}</td>' for column in columns)
        html.append(f"<tr><td>{escape(row['name'])}</td>{figures}</tr>")
    return mark_safe("".join(html))


@register.simple_tag
def status_badge(obj):
    """The coloured badge of an offering's or a nomination's status. A tag, not an included
    template: lists show one per row, and an include per row cost more than the row."""
    kind = "nomination" if obj._meta.model_name == "nomination" else "status"
    return mark_safe(badge(kind, obj.status, obj._meta.get_field("status").choices))
