"""The rows of the certificates list, written in Python from values (see core.rows)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import references
from core.dates import Dates
from core.rows import chooser, text, url_maker
from partners.models import Nation

register = template.Library()

# What a row shows, read as values by the list's paginator.
FIELDS = ("number", "code", "name_en", "name_ar", "nation_id", "course_en", "course_ar", "start_date", "end_date",
          "revoked_at")  # fmt: skip


@register.simple_tag
def certificate_rows(rows):
    pdf, verify, pick, dates = url_maker("certificates:pdf"), url_maker("certificates:verify"), chooser(), Dates()
    valid = f'<span class="badge text-bg-success">{text(_("Valid"))}</span>'
    revoked = f'<span class="badge text-bg-danger">{text(_("Revoked"))}</span>'
    check = text(_("Verification page"))
    written = []
    for c in rows:
        nation = text(references.code_of(Nation, c["nation_id"]))
        written.append(
            f'<tr data-testid="certificate-row"><td dir="ltr">{text(c["number"])}</td>'
            f'<td>{text(pick(c, "name"))} <small class="text-muted">{nation}</small></td>'
            f"<td>{text(pick(c, 'course'))}</td>"
            f'<td class="text-nowrap">{dates.range(c["start_date"], c["end_date"])}</td>'
            f"<td>{valid if c['revoked_at'] is None else revoked}</td>"
            f'<td class="text-nowrap"><a class="btn btn-sm btn-shiraka" href="{pdf(c["number"])}" '
            f'data-testid="download"><i class="bi bi-file-earmark-pdf"></i> PDF</a> '
            f'<a class="btn btn-sm btn-outline-secondary" href="{verify(c["code"])}">{check}</a></td></tr>'
        )
    return mark_safe("".join(written))
