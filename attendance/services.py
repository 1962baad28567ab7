"""Taking attendance, and the outcomes it gives when an offering is completed."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import Attendance, AttendanceStatus
from core.dates import long_date
from core.errors import DomainError, NotAllowed
from nominations.models import OUTCOMES, Nomination, NominationEvent, NominationStatus
from people.models import by_name
from reports import counts
from reports.counts import counted
from training.models import Offering, Status
from training.services import can_run, teaches


def can_take(user, offering):
    """Administrators, the offering's director and its instructors."""
    return can_run(user, offering) or teaches(user, offering)


def offering_days(offering):
    return [offering.start_date + timedelta(days=n) for n in range((offering.end_date - offering.start_date).days + 1)]


def roster(offering):
    """The nominations whose attendance is taken, in the roster's order: the accepted ones; once
    the offering has completed, the same people under the outcome their attendance gave them, so
    that its grid still shows what was recorded."""
    statuses = OUTCOMES if offering.status == Status.COMPLETED else [NominationStatus.ACCEPTED]
    return Nomination.objects.filter(offering=offering, status__in=statuses).order_by(*by_name("person__"), "id")


@transaction.atomic
def attendance_record(*, by, offering, entries):
    """Record `entries`, each {"person": id, "date": date, "status": …}; a second record for the
    same person and day replaces the first. One bad entry records none and names every bad one."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if not can_take(by, offering):
        raise NotAllowed(_("Only the offering's director, its instructors or an administrator take attendance."))
    if offering.status != Status.RUNNING:
        raise DomainError(_("Attendance is taken while the offering is running."), "not_running")
    accepted = {n.person_id: n for n in roster(offering)}
    today = timezone.localdate()
    errors, rows = {}, {}
    for index, entry in enumerate(entries):
        person, day, status = entry.get("person"), entry.get("date"), entry.get("status")
        problems = []
        if person not in accepted:
            problems.append(_("this person is not an accepted participant of the offering"))
        if day is None or not offering.start_date <= day <= offering.end_date:
            problems.append(
                _("the date must be between %(start)s and %(end)s")
                % {"start": long_date(offering.start_date), "end": long_date(offering.end_date)}
            )
        elif day > today:
            problems.append(_("attendance cannot be taken for a day still to come"))
        if status not in AttendanceStatus.values:
            problems.append(_("the status must be present, absent or excused"))
        if problems:
            errors[index] = problems
        else:
            rows[(accepted[person].pk, day)] = status
    if errors:
        raise ValidationError(
            {
                "entries": [
                    _("Entry %(n)d: %(problems)s") % {"n": i + 1, "problems": "; ".join(p)} for i, p in errors.items()
                ]
            }
        )
    existing = {
        (a.nomination_id, a.date): a
        for a in Attendance.objects.filter(nomination_id__in={k[0] for k in rows}, date__in={k[1] for k in rows})
    }
    now = timezone.now()
    changed, created = [], []
    for (nomination_id, day), status in rows.items():
        record = existing.get((nomination_id, day))
        if record is None:
            created.append(
                Attendance(nomination_id=nomination_id, date=day, status=status, recorded_by=by, recorded_at=now)
            )
        elif record.status != status:
            record.status, record.recorded_by, record.recorded_at = status, by, now
            changed.append(record)
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    return len(created) + len(changed)


@counted
def record_outcomes(offering, by=None, at=None):
    """Give each accepted nomination of a completed offering its outcome from the attendance:
    completed at the threshold's share of days present, no-show if never present, incomplete
    otherwise. The caller holds the offering's transaction."""
    days = len(offering_days(offering))
    present = dict(
        Attendance.objects.filter(nomination__offering=offering, nomination__status=NominationStatus.ACCEPTED)
        .values_list("nomination_id")
        .annotate(n=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    )
    events, by_outcome = [], {}
    for nomination in Nomination.objects.select_for_update().filter(
        offering=offering, status=NominationStatus.ACCEPTED
    ):
        n = present.get(nomination.pk, 0)
        share = round(100 * n / days) if days else 0
        if n == 0:
            outcome = NominationStatus.NO_SHOW
        elif share >= offering.completion_threshold:
            outcome = NominationStatus.COMPLETED
        else:
            outcome = NominationStatus.INCOMPLETE
        by_outcome.setdefault(outcome, []).append(nomination.pk)
        counts.track(offering, nomination.nation_id, nomination.status, outcome)
        events.append(
            NominationEvent(
                nomination=nomination,
                kind=NominationEvent.Kind.OUTCOME,
                from_status=nomination.status,
                to_status=outcome,
                by=by,
                at=at or timezone.now(),
                reason=_("Present %(n)d of %(days)d days (%(share)d%%; %(threshold)d%% needed).")
                % {"n": n, "days": days, "share": share, "threshold": offering.completion_threshold},
            )
        )
    for outcome, ids in by_outcome.items():
        Nomination.objects.filter(pk__in=ids).update(status=outcome, updated_at=timezone.now())
    NominationEvent.objects.bulk_create(events)
    return {outcome: len(ids) for outcome, ids in by_outcome.items()}
