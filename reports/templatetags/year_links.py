"""The links to each year kept, written in Python: a template loop over twenty years cost the
yearly figures page more than its tables."""

from django import template
from django.utils.safestring import mark_safe

from core.rows import url_maker

register = template.Library()


@register.simple_tag
def year_links(years, current):
    link = url_maker("reports:annual")
    items = (
        f'<li class="page-item{" active" if y == current else ""}"><a class="page-link" href="{link(y)}">{y}</a>'
        for y in years
    )
    return mark_safe("</li>".join(items) + "</li>" if years else "")
