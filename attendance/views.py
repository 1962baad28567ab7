from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import services
from attendance.models import Attendance, AttendanceStatus
from core.errors import DomainError, refusal
from core.visibility import get_visible_or_404
from training.models import Offering, Status

# One click moves a cell on: nothing → present → absent → excused → present …
NEXT = {"": "present", "present": "absent", "absent": "excused", "excused": "present"}


def _offering(request, code):
    offering = get_visible_or_404(Offering.objects.select_related("course"), request.user, code=code)
    if not services.can_take(request.user, offering):
        raise PermissionDenied(_("Only the offering's director, its instructors or an administrator take attendance."))
    return offering


@login_required
def grid(request, code):
    offering = _offering(request, code)
    days = services.offering_days(offering)
    people = list(services.roster(offering))
    marks = {
        (a.nomination_id, a.date): a.status for a in Attendance.objects.filter(nomination__in=[n.pk for n in people])
    }
    today = timezone.localdate()
    rows = []
    for nomination in people:
        cells = [(day, marks.get((nomination.pk, day), "")) for day in days]
        present = sum(1 for _day, status in cells if status == AttendanceStatus.PRESENT)
        rows.append({"nomination": nomination, "cells": cells, "present": present})
    context = {
        "offering": offering,
        "days": days,
        "rows": rows,
        "today": today,
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
