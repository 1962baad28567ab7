from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.rows import url_maker
from core.visibility import sees_all_nations
from reports.figures import year_sums, years_kept
from reports.models import STATES
from training.models import Offering

# Nominations that took a seat: accepted, and the outcomes that follow acceptance.
SEATED = ["accepted", "completed", "incomplete", "no_show"]


def _figures(rows):
    table = []
    for key, sums in rows.items():
        nominations = sum(sums[s] for s in STATES)
        table.append(
            {
                **sums,
                "key": key,
                "nominations": nominations,
                "seated": sum(sums[s] for s in SEATED),
                "rate": round(100 * sums["completed"] / nominations) if nominations else 0,
            }
        )
    return sorted(table, key=lambda row: (-row["nominations"], row["name"]))


@login_required
def annual(request, year=None):
    """A year's figures by nation and by area, from the maintained counts."""
    if not sees_all_nations(request.user):
        raise PermissionDenied(_("The yearly figures are for the centre's staff and observers."))
    if year is None:
        return redirect("reports:annual", year=timezone.localdate().year)
    by_nation, by_area = year_sums(year)
    year_url = url_maker("reports:annual")
    # COUNT(*), not of the ids: PostgreSQL then counts on the date index alone (80 → 1 ms, cold).
    offerings = Offering.objects.filter(start_date__year=year).values_list("area").annotate(n=Count("*"))
    offerings = dict(offerings.order_by())
    area_rows = _figures(by_area)
    for row in area_rows:
        row["offerings"] = offerings.get(row["key"], 0)
    totals = {s: sum(row[s] for row in by_nation.values()) for s in STATES}
    context = {
        "year": year,
        # Each year's link written from one reverse(): one per year cost more than the tables.
        "years": [(y, mark_safe(year_url(y))) for y in years_kept()],
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
