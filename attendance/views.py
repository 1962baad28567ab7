from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import services
from attendance.models import Attendance, AttendanceStatus
from attendance.templatetags import attendance_grid
from core.errors import DomainError, refusal
from training.models import Status
from training.selectors import visible_offering_or_404

# One click moves a cell on: nothing → present → absent → excused → present …
NEXT = {"": "present", "present": "absent", "absent": "excused", "excused": "present"}


def _offering(request, code):
    offering = visible_offering_or_404(request.user, code)
    if not services.can_take(request.user, offering):
        raise PermissionDenied(_("Only the offering's director, its instructors or an administrator take attendance."))
    return offering


@login_required
def grid(request, code):
    offering = _offering(request, code)
    # The roster with its marks in one read (a row per mark, or one without): on PostgreSQL a
    # second read cost the grid more than the rows it adds.
    rows, marks = {}, {}
    for row in services.roster(offering).values(*attendance_grid.FIELDS, "attendance__date", "attendance__status"):
        day, status = row.pop("attendance__date"), row.pop("attendance__status")
        rows.setdefault(row["pk"], row)
        if day is not None:
            marks[(row["pk"], day)] = status
    context = {
        "offering": offering,
        "days": services.offering_days(offering),
        "rows": list(rows.values()),
        "marks": marks,
        "today": timezone.localdate(),
        "editable": offering.status == Status.RUNNING,
        "nav": "manage",
    }
    return render(request, "attendance/grid.html", context)


@login_required
@require_POST
def mark(request, code):
    """One cell of the grid (an htmx request): record the next state and answer the new cell."""
    offering = _offering(request, code)
    day = parse_date(request.POST.get("date", "") or "")
    person = int(request.POST["person"]) if request.POST.get("person", "").isdigit() else None
    status = request.POST.get("status") or NEXT.get(request.POST.get("current", ""), "present")
    error = None
    try:
        services.attendance_record(
            by=request.user, offering=offering, entries=[{"person": person, "date": day, "status": status}]
        )
    except (ValidationError, DomainError) as exc:
        error = refusal(exc)
    if error:
        response = render(request, "attendance/_error.html", {"error": error}, status=400)
        response["HX-Retarget"] = "#grid-error"
        return response
    present = Attendance.objects.filter(
        nomination__offering=offering, nomination__person=person, status=AttendanceStatus.PRESENT
    ).count()
    context = {
        "offering": offering,
        "person": person,
        "day": day,
        "status": status,
        "editable": True,
        "present": present,
        "oob": True,
        "days": len(services.offering_days(offering)),
    }
    return render(request, "attendance/_cell.html", context)
