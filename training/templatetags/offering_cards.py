"""The catalogue's cards, written in Python from values (see core.rows)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import references
from core.dates import Dates
from core.i18n import choice_label
from core.rows import badge, chooser, text, url_maker
from partners.models import Area
from training.models import Status

register = template.Library()

# What a card shows, read as values by the catalogue's paginator.
FIELDS = (
    "code",
    "status",
    "venue_en",
    "venue_ar",
    "start_date",
    "end_date",
    "nomination_deadline",
    "capacity",
    "seats_taken",
    "course__title_en",
    "course__title_ar",
    "area_id",
)


@register.simple_tag
def offering_cards(rows):
    detail, pick, dates = url_maker("training:offering_detail"), chooser(), Dates()
    area = references.namer(Area)
    by = text(_("Nominations by"))
    written = []
    for o in rows:
        open_now = ""
        if o["status"] == Status.OPEN:
            left = max(o["capacity"] - o["seats_taken"], 0)
            seats = text(ngettext("%(n)s seat left", "%(n)s seats left", left) % {"n": left})
            open_now = (
                f'<li><i class="bi bi-hourglass-split"></i> {by} {dates.long(o["nomination_deadline"])}</li>'
                f'<li><i class="bi bi-people"></i> {seats}</li>'
            )
        written.append(
            '<div class="col"><article class="card h-100 offering-card" data-testid="offering-card">'
            '<div class="card-body d-flex flex-column">'
            '<div class="d-flex justify-content-between align-items-start gap-2 mb-1">'
            f'<span class="badge text-bg-light border">{text(area(o["area_id"]))}</span>'
            f"{badge('status', o['status'], choice_label(Status, o['status']))}</div>"
            f'<h2 class="h5 card-title mt-2"><a class="stretched-link text-decoration-none" '
            f'href="{detail(o["code"])}">{text(pick(o, "course__title"))}</a></h2>'
            f'<p class="small text-muted mb-2"><span dir="ltr">{text(o["code"])}</span> · '
            f"{text(pick(o, 'venue'))}</p>"
            '<ul class="list-unstyled small mb-0 mt-auto">'
            f'<li><i class="bi bi-calendar3"></i> {dates.range(o["start_date"], o["end_date"])}</li>{open_now}</ul>'
            "</div></article></div>"
        )
    return mark_safe("".join(written))
