"""The people list's rows, written in Python from values (see core.rows)."""

from django import template
from django.utils.safestring import mark_safe

from core import references
from core.rows import text, url_maker
from partners.models import Nation

register = template.Library()

# What a row shows, read as values by the list's paginator.
FIELDS = ("name_en", "name_ar", "rank", "organization", "nation_id")


@register.simple_tag
def person_rows(rows):
    detail, nation = url_maker("people:detail"), references.namer(Nation)
    written = []
    for p in rows:
        link = detail(p["pk"])
        written.append(
            f'<tr data-testid="person-row"><td dir="ltr" class="text-start">'
            f'<a href="{link}">{text(p["name_en"] or "—")}</a></td>'
            f'<td dir="rtl" lang="ar"><a href="{link}">{text(p["name_ar"] or "—")}</a></td>'
            f"<td>{text(p['rank'])}</td><td>{text(p['organization'])}</td>"
            f"<td>{text(nation(p['nation_id']))}</td></tr>"
        )
    return mark_safe("".join(written))
