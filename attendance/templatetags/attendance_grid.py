"""The attendance grid's rows and cells, written in Python (see core.rows): a course of ten days
for twenty people is two hundred cells, and through a template included for each it cost the
grid four times what its statements took."""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from attendance.models import AttendanceStatus
from core import references
from core.i18n import choice_label
from core.rows import chooser, text
from nominations.models import NominationStatus
from partners.models import Nation

register = template.Library()

# What a grid's row shows, read as values.
FIELDS = ("pk", "status", "person_id", "person__name_en", "person__name_ar", "nation_id")

ICONS = {
    AttendanceStatus.PRESENT: '<i class="bi bi-check-lg"></i>',
    AttendanceStatus.ABSENT: '<i class="bi bi-x-lg"></i>',
    AttendanceStatus.EXCUSED: '<i class="bi bi-dash-lg"></i>',
}


def _cell(mark_url, person, day, status):
    """One day of one person: a button that records the next state when `mark_url` is given (the
    offering runs), else the state alone."""
    status = status or ""
    shown, icon = text(status or "none"), ICONS.get(status, "·")
    if mark_url is None:
        return (
            f'<span class="att-cell att-{shown} d-inline-flex align-items-center justify-content-center" '
            f'data-status="{text(status)}">{icon}</span>'
        )
    label = choice_label(AttendanceStatus, status) if status else _("Not taken")
    return (
        f'<button type="button" class="btn att-cell att-{shown}" data-testid="cell" data-status="{text(status)}" '
        f'hx-post="{text(mark_url)}" hx-vals=\'{{"person": "{int(person)}", "date": "{day:%Y-%m-%d}", '
        f'"current": "{text(status)}"}}\' hx-swap="outerHTML" '
        f'aria-label="{day:%Y-%m-%d}: {text(label)}">{icon}</button>'
    )


def _mark_url(offering, editable):
    return reverse("attendance:mark", args=[offering.code]) if editable else None


@register.simple_tag
def attendance_cell(offering, person, day, status, editable):
    return mark_safe(_cell(_mark_url(offering, editable), person, day, status))


@register.simple_tag
def attendance_rows(offering, rows, days, marks, today, editable):
    """A row for each of `rows` (FIELDS) with a cell for each of `days`, its marks taken from
    `marks` {(nomination id, day): status}, and the days present; after the offering completed,
    the outcome its attendance gave each person."""
    mark_url, pick, written = _mark_url(offering, editable), chooser(), []
    for row in rows:
        cells, present = [], 0
        for day in days:
            status = marks.get((row["pk"], day), "")
            present += status == AttendanceStatus.PRESENT
            if day > today:
                cells.append('<td><span class="text-muted">–</span></td>')
            else:
                cells.append(f"<td>{_cell(mark_url, row['person_id'], day, status)}</td>")
        outcome = ""
        if row["status"] != NominationStatus.ACCEPTED:
            label = text(choice_label(NominationStatus, row["status"]))
            outcome = f' <span class="badge text-bg-light border" data-testid="outcome">{label}</span>'
        name = text(pick(row, "person__name") or f"#{row['person_id']}")
        code = text(references.code_of(Nation, row["nation_id"]))
        written.append(
            f'<tr data-testid="attendance-row"><th scope="row" class="text-start fw-normal">{name} '
            f'<small class="text-muted">{code}</small></th>{"".join(cells)}'
            f'<td id="present-{int(row["person_id"])}" data-testid="present-count">'
            f"{present}/{len(days)}{outcome}</td></tr>"
        )
    return mark_safe("".join(written))
