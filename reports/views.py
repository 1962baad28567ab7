from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.visibility import sees_all_nations
from reports.figures import year_figures
from reports.models import STATES

# Nominations that took a seat: accepted, and the outcomes that follow acceptance.
SEATED = ["accepted", "completed", "incomplete", "no_show"]


def _figures(rows):
    """The rows of a table by nation or area, each with its totals, the largest first. The rows
    (year_figures') are completed in place: a year's 150 nations are on every view of it."""
    for key, sums in rows.items():
        nominations = sum(map(sums.__getitem__, STATES))
        sums["key"], sums["nominations"] = key, nominations
        sums["seated"] = sum(map(sums.__getitem__, SEATED))
        sums["rate"] = round(100 * sums["completed"] / nominations) if nominations else 0
    return sorted(rows.values(), key=lambda row: (-row["nominations"], row["name"]))


@login_required
def annual(request, year=None):
    """A year's figures by nation and by area, from the maintained counts."""
    if not sees_all_nations(request.user):
        raise PermissionDenied(_("The yearly figures are for the centre's staff and observers."))
    if year is None:
        return redirect("reports:annual", year=timezone.localdate().year)
    sums, offerings, years = year_figures(year)
    by_nation, by_area = sums["nation"], sums["area"]
    area_rows = _figures(by_area)
    for row in area_rows:
        row["offerings"] = offerings.get(row["key"], 0)
    totals = {s: sum(row[s] for row in by_nation.values()) for s in STATES}
    context = {
        "year": year,
        "years": years,
        "nations": _figures(by_nation),
        "areas": area_rows,
        "offerings": sum(offerings.values()),
        "totals": {
            "nominations": sum(totals.values()),
            "seated": sum(totals[s] for s in SEATED),
            "completed": totals["completed"],
            "nations": len(by_nation),
        },
        "nav": "reports",
    }
    return render(request, "reports/annual.html", context)
