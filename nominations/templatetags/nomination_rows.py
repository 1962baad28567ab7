"""The rows of the nomination list and of an offering's roster, written in Python from values
(see core.rows)."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import references
from core.dates import Dates
from core.i18n import choice_label
from core.rows import badge, chooser, text, url_maker
from nominations.models import NominationStatus
from partners.models import Nation

register = template.Library()

# What a row shows, read as values by the list's paginator.
FIELDS = (
    "status",
    "submitted_at",
    "person_id",
    "person__name_en",
    "person__name_ar",
    "nation_id",
    "offering__code",
    "offering__start_date",
    "offering__end_date",
    "offering__course__title_en",
    "offering__course__title_ar",
)


def _badge(status):
    return badge("nomination", status, choice_label(NominationStatus, status))


@register.simple_tag
def nomination_rows(rows, by_nation):
    detail, pick, dates, zone = url_maker("nominations:detail"), chooser(), Dates(), timezone.get_current_timezone()
    written = []
    for n in rows:
        person = text(pick(n, "person__name") or f"#{n['person_id']}")
        nation = f"<td>{text(references.code_of(Nation, n['nation_id']))}</td>" if by_nation else ""
        written.append(
            f'<tr data-testid="nomination-row"><td><a href="{detail(n["pk"])}">{person}</a></td>'
            f"<td>{text(pick(n, 'offering__course__title'))} "
            f'<small class="text-muted" dir="ltr">{text(n["offering__code"])}</small></td>'
            f'<td class="text-nowrap">{dates.range(n["offering__start_date"], n["offering__end_date"])}</td>{nation}'
            f'<td class="text-nowrap">{n["submitted_at"].astimezone(zone):%Y-%m-%d}</td>'
            f"<td>{_badge(n['status'])}</td></tr>"
        )
    return mark_safe("".join(written))


# What a roster row shows.
ROSTER_FIELDS = (
    "status",
    "submitted_at",
    "person_id",
    "person__name_en",
    "person__name_ar",
    "person__rank",
    "person__organization",
    "nation_id",
)
# Nominations a director may still decide.
DECIDABLE = {NominationStatus.SUBMITTED, NominationStatus.WAITLISTED, NominationStatus.ACCEPTED}


@register.simple_tag(takes_context=True)
def roster_rows(context, page, places, can_decide, status):
    """An offering's roster, with the places on its waiting list (`places`, {id: place}) and the
    decision buttons where the reader may decide."""
    detail, decide, pick = url_maker("nominations:detail"), url_maker("nominations:decide"), chooser()
    zone = timezone.get_current_timezone()
    if can_decide:
        reason, accept, waitlist, decline = map(text, (_("Reason"), _("Accept"), _("Wait-list"), _("Decline")))
        hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{text(context["csrf_token"])}">'
            '<input type="hidden" name="from" value="roster">'
            + (f'<input type="hidden" name="status" value="{text(status)}">' if status else "")
            + '<input class="form-control form-control-sm" style="max-width: 12rem" name="reason" '
            f'placeholder="{reason}" aria-label="{reason}">'
        )
    written = []
    for number, n in enumerate(page.object_list, start=page.start_index()):
        person = text(pick(n, "person__name") or f"#{n['person_id']}")
        position = places.get(n["pk"]) if n["status"] == NominationStatus.WAITLISTED else None
        queue = f' <small class="text-muted">#{position}</small>' if position else ""
        cells = ""
        if can_decide:
            buttons = ""
            if n["status"] in DECIDABLE:
                action = decide(n["pk"])
                if n["status"] != NominationStatus.ACCEPTED:
                    buttons += (
                        '<button class="btn btn-sm btn-success" name="decision" value="accept" '
                        f'data-testid="accept">{accept}</button>'
                    )
                if n["status"] == NominationStatus.SUBMITTED:
                    buttons += (
                        '<button class="btn btn-sm btn-warning" name="decision" value="waitlist" '
                        f'data-testid="waitlist">{waitlist}</button>'
                    )
                buttons = (
                    f'<form method="post" action="{action}" hx-post="{action}" class="d-flex flex-wrap gap-1">'
                    f"{hidden}{buttons}"
                    '<button class="btn btn-sm btn-outline-danger" name="decision" value="decline" '
                    f'data-testid="decline">{decline}</button></form>'
                )
            cells = f"<td>{buttons}</td>"
        written.append(
            f'<tr data-testid="roster-row" data-person="{text(n["person__name_en"])}">'
            f'<td class="text-muted small">{number}</td>'
            f'<td><a href="{detail(n["pk"])}">{person}</a><div class="small text-muted">'
            f"{text(n['person__rank'])} {text(n['person__organization'])}</div></td>"
            f"<td>{text(references.code_of(Nation, n['nation_id']))}</td>"
            f'<td class="text-nowrap small">{n["submitted_at"].astimezone(zone):%Y-%m-%d %H:%M}</td>'
            f"<td>{_badge(n['status'])}{queue}</td>{cells}</tr>"
        )
    return mark_safe("".join(written))
