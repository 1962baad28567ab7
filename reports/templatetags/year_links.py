"""The links to each year kept, written in Python: a template loop over twenty years cost the
yearly figures page more than its tables."""

from django import template
from django.utils.safestring import mark_safe

from core.rows import url_maker

register = template.Library()


@register.simple_tag
def year_links(years, current):
    link, written = url_maker("reports:annual"), []
    for y in years:
        active = " active" if y == current else ""
        written.append(f'<li class="page-item{active}"><a class="page-link" href="{link(y)}">{y}</a></li>')
    return mark_safe("".join(written))
