from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import reading_order
from core.visibility import sees_all_nations
from partners.models import Area, Nation
from reports.models import STATES, NominationCount
from training.models import Offering

# Nominations that took a seat: accepted, and the outcomes that follow acceptance.
SEATED = ["accepted", "completed", "incomplete", "no_show"]


def _figures(rows, names):
    table = []
    for key, sums in rows.items():
        sums = {s: sums[s] or 0 for s in STATES}
        nominations = sum(sums.values())
        table.append(
            {
                "key": key,
                "name": names[key],
                "nominations": nominations,
                "seated": sum(sums[s] for s in SEATED),
                "completed": sums["completed"],
                "rate": round(100 * sums["completed"] / nominations) if nominations else 0,
                **{s: sums[s] for s in STATES},
            }
        )
    return sorted(table, key=lambda row: (-row["nominations"], str(row["name"])))


def _names(model, pks):
    """{pk: name in the current language} of a model with bilingual names, read as values."""
    rows = model.objects.filter(pk__in=list(pks)).values_list("pk", *reading_order("name"))
    return {pk: name or other for pk, name, other in rows}


@login_required
def annual(request, year=None):
    """A year's figures by nation and by area, from the maintained counts."""
    if not sees_all_nations(request.user):
        raise PermissionDenied(_("The yearly figures are for the centre's staff and observers."))
    if year is None:
        return redirect("reports:annual", year=timezone.localdate().year)
    sums = {s: Sum(s) for s in STATES}
    counts = NominationCount.objects.filter(year=year)
    by_nation = {row.pop("nation"): row for row in counts.values("nation").annotate(**sums).order_by()}
    by_area = {row.pop("area"): row for row in counts.values("area").annotate(**sums).order_by()}
    nations = _names(Nation, by_nation)
    areas = _names(Area, by_area)
    offerings = dict(
        Offering.objects.filter(start_date__year=year).values_list("area").annotate(n=Count("pk")).order_by()
    )
    area_rows = _figures(by_area, areas)
    for row in area_rows:
        row["offerings"] = offerings.get(row["key"], 0)
    # The first and the last year apart: each is one step on the key's index, while both in one
    # query made SQLite read every count.
    years_kept = NominationCount.objects.values_list("year", flat=True)
    first, last = years_kept.order_by("year").first(), years_kept.order_by("-year").first()
    years = range(last, first - 1, -1) if first else []
    totals = {s: sum(row[s] or 0 for row in by_nation.values()) for s in STATES}
    context = {
        "year": year,
        "years": list(years),
        "nations": _figures(by_nation, nations),
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
