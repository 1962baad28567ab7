"""The only way the catalogue changes. Each function runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import moment
from core.errors import DomainError, NotAllowed
from core.visibility import is_centre_admin, is_centre_staff, sees_all_nations
from training import signals
from training.models import Course, Offering, OfferingTransition, Quota, Status

TRANSITIONS = {
    Status.DRAFT: {Status.OPEN, Status.CANCELLED},
    Status.OPEN: {Status.CLOSED, Status.CANCELLED},
    Status.CLOSED: {Status.OPEN, Status.RUNNING, Status.CANCELLED},
    Status.RUNNING: {Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}
COURSE_FIELDS = {
    "code",
    "title_en",
    "title_ar",
    "area",
    "summary_en",
    "summary_ar",
    "objectives_en",
    "objectives_ar",
    "audience_en",
    "audience_ar",
    "prerequisites_en",
    "prerequisites_ar",
    "duration_days",
    "languages",
    "active",
}
OFFERING_FIELDS = {
    "course",
    "code",
    "start_date",
    "end_date",
    "venue_en",
    "venue_ar",
    "capacity",
    "admission",
    "nomination_deadline",
    "completion_threshold",
    "director",
    "joining_instructions_en",
    "joining_instructions_ar",
}


def _require_staff(user):
    if not is_centre_staff(user):
        raise NotAllowed(_("Only centre staff may change the catalogue."))


def can_run(user, offering):
    """Administrators run every offering; a programme officer the ones they direct."""
    return is_centre_admin(user) or (is_centre_staff(user) and offering.director_id == user.pk)


def teaches(user, offering):
    return bool(getattr(user, "is_authenticated", False)) and offering.instructors.filter(pk=user.pk).exists()


def can_see_roster(user, offering):
    """Staff and observers see every offering's nominations; an instructor those they teach."""
    return sees_all_nations(user) or teaches(user, offering)


def _require_runs(user, offering):
    if not can_run(user, offering):
        raise NotAllowed(_("Only an administrator or the offering's director may change it."))


def _set(obj, fields, allowed):
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _languages(value):
    codes = value if isinstance(value, (list, tuple)) else str(value).split(",")
    codes = sorted({c.strip() for c in codes if c and c.strip()})
    if not codes or any(c not in ("ar", "en") for c in codes):
        raise ValidationError({"languages": _("Choose Arabic, English or both.")})
    return ",".join(codes)


@transaction.atomic
def course_create(*, by, **fields):
    _require_staff(by)
    course = Course()
    fields["languages"] = _languages(fields.get("languages", "en"))
    _set(course, fields, COURSE_FIELDS)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_update(*, by, course, **fields):
    _require_staff(by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    before_area = course.area_id
    if "languages" in fields:
        fields["languages"] = _languages(fields["languages"])
    _set(course, fields, COURSE_FIELDS)
    course.full_clean()
    course.save()
    # Offerings index their course's titles and carry its area.
    for offering in course.offerings.all():
        offering.course = course
        offering.area_id = course.area_id
        offering.save(update_fields=["search_document", "area"])
    signals.course_changed.send(sender=Course, course=course, before_area=before_area, by=by)
    return course


def validate_offering(offering, quotas=None):
    errors = {}
    if offering.start_date and offering.end_date and offering.end_date < offering.start_date:
        errors["end_date"] = _("The end date must not be before the start date.")
    if offering.nomination_deadline and offering.start_date and (offering.nomination_deadline > offering.start_date):
        errors["nomination_deadline"] = _("The nomination deadline must be on or before the start date.")
    if offering.capacity is not None and offering.capacity < 1:
        errors["capacity"] = _("Capacity must be at least one seat.")
    if offering.completion_threshold is not None and not 1 <= offering.completion_threshold <= 100:
        errors["completion_threshold"] = _("The threshold is a percentage between 1 and 100.")
    if offering.capacity is not None and offering.seats_taken > offering.capacity:
        errors["capacity"] = _("%(n)d seats are already taken.") % {"n": offering.seats_taken}
    for nation, seats in (quotas or {}).items():
        if seats < 0 or (offering.capacity is not None and seats > offering.capacity):
            errors["quotas"] = _("The quota of %(nation)s must be between 0 and the capacity.") % {
                "nation": nation.name
            }
    if errors:
        raise ValidationError(errors)


def _save_quotas(offering, quotas):
    if quotas is None:
        return
    offering.quotas.exclude(nation__in=list(quotas)).delete()
    accepted = dict(
        offering.nominations.filter(status="accepted", nation__in=list(quotas))
        .values_list("nation")
        .annotate(n=Count("pk"))
    )
    for nation, seats in quotas.items():
        taken = accepted.get(nation.pk, 0)
        if seats < taken:
            raise ValidationError(
                {
                    "quotas": _("%(nation)s already has %(n)d accepted; its quota cannot be lower.")
                    % {"nation": nation.name, "n": taken}
                }
            )
        Quota.objects.update_or_create(
            offering=offering, nation=nation, defaults={"seats": seats, "seats_taken": taken}
        )


@transaction.atomic
def offering_create(*, by, quotas=None, instructors=(), on=None, **fields):
    """A new offering, in draft. `quotas` maps nations to seats; `on` dates its creation when a
    centre's past programme is imported."""
    _require_staff(by)
    offering = Offering()
    fields.setdefault("director", by)
    _set(offering, fields, OFFERING_FIELDS)
    offering.area_id = offering.course.area_id if offering.course_id else None
    validate_offering(offering, quotas)
    offering.full_clean()
    offering.save()
    offering.instructors.set(instructors)
    _save_quotas(offering, quotas)
    OfferingTransition.objects.create(offering=offering, to_status=Status.DRAFT, by=by, at=moment(on))
    return offering


@transaction.atomic
def offering_update(*, by, offering, quotas=None, instructors=None, **fields):
    offering = Offering.objects.select_for_update().select_related("course").get(pk=offering.pk)
    _require_runs(by, offering)
    if offering.status in (Status.COMPLETED, Status.CANCELLED):
        raise DomainError(_("A completed or cancelled offering cannot be edited."), "finished")
    before = (offering.start_date.year, offering.course.area_id)
    _set(offering, fields, OFFERING_FIELDS)
    offering.area_id = offering.course.area_id
    validate_offering(offering, quotas)
    offering.full_clean()
    offering.save()
    if instructors is not None:
        offering.instructors.set(instructors)
    _save_quotas(offering, quotas)
    signals.offering_changed.send(sender=Offering, offering=offering, by=by, before=before)
    return offering


def _refuse_transition(offering, to, today=None):
    """The reason DESIGN.md's rules refuse moving `offering` to `to`, or None."""
    today = today or timezone.localdate()
    if to not in TRANSITIONS[Status(offering.status)]:
        return _("An offering cannot go from “%(from)s” to “%(to)s”.") % {
            "from": Status(offering.status).label,
            "to": Status(to).label,
        }
    if to == Status.OPEN:
        if not offering.course.active:
            return _("The course is not active; activate it before publishing an offering.")
        if offering.nomination_deadline < today:
            return _("The nomination deadline has passed; move it before opening nominations.")
    if to == Status.RUNNING and offering.start_date > today:
        return _("The offering cannot start before its start date (%(date)s).") % {
            "date": offering.start_date.isoformat()
        }
    if to == Status.COMPLETED and offering.end_date > today:
        return _("The offering cannot be completed before its last day (%(date)s).") % {
            "date": offering.end_date.isoformat()
        }
    return None


def allowed_transitions(offering):
    """The states the offering may move to now, for the buttons a page shows."""
    return [
        to for to in Status if to in TRANSITIONS[Status(offering.status)] and _refuse_transition(offering, to) is None
    ]


@transaction.atomic
def offering_transition(*, by, offering, to, reason="", on=None):
    """Move an offering to state `to`. `on` records a transition of the past (importing a
    centre's history): the rules are judged as of that date and the record carries it."""
    offering = Offering.objects.select_for_update().select_related("course").get(pk=offering.pk)
    _require_runs(by, offering)
    if to not in Status.values:
        raise ValidationError({"to": _("Unknown state “%(to)s”.") % {"to": to}})
    if on is not None and on > timezone.localdate():
        raise ValidationError({"on": _("A transition cannot be dated in the future.")})
    refusal = _refuse_transition(offering, to, on)
    if refusal:
        raise DomainError(refusal, "transition_refused")
    if to == Status.CANCELLED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    from_status = offering.status
    OfferingTransition.objects.create(
        offering=offering,
        from_status=from_status,
        to_status=to,
        by=by,
        reason=reason.strip(),
        at=moment(on),
    )
    offering.status = to
    offering.save(update_fields=["status", "updated_at", "search_document"])
    signals.offering_transitioned.send(sender=Offering, offering=offering, from_status=from_status, by=by, on=on)
    return offering
