"""The people list's rows, written in Python from values (see core.rows)."""

from django import template
from django.utils.safestring import mark_safe

from core.rows import chooser, text, url_maker

register = template.Library()

# What a row shows, read as values by the list's paginator.
FIELDS = ("name_en", "name_ar", "rank", "organization", "nation__name_en", "nation__name_ar")


@register.simple_tag
def person_rows(rows):
    detail, pick = url_maker("people:detail"), chooser()
    written = []
    for p in rows:
        link = detail(p["pk"])
        written.append(
            f'<tr data-testid="person-row"><td dir="ltr" class="text-start">'
            f'<a href="{link}">{text(p["name_en"] or "—")}</a></td>'
            f'<td dir="rtl" lang="ar"><a href="{link}">{text(p["name_ar"] or "—")}</a></td>'
            f"<td>{text(p['rank'])}</td><td>{text(p['organization'])}</td>"
            f"<td>{text(pick(p, 'nation__name'))}</td></tr>"
        )
    return mark_safe("".join(written))
