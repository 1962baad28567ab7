"""The only way nominations change.

Every function runs in one transaction that first locks the offering's row (PostgreSQL:
SELECT … FOR UPDATE; SQLite: the IMMEDIATE transaction holds the write lock), so the seat
counts it reads cannot change under it. The counts are kept on the offering and its quotas,
whose check constraints refuse an over-filled seat even if a rule here were wrong.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import plain
from core.dates import long_date, moment
from core.errors import DomainError, NotAllowed, refusal
from core.visibility import is_centre_staff
from nominations import notify
from nominations.models import ACTIVE, Nomination, NominationEvent, NominationImport, NominationStatus
from partners.models import Nation
from people.models import Person
from people.services import person_create
from reports import counts
from reports.counts import counted
from training.models import Offering, Quota, Status
from training.services import can_run

S = NominationStatus
DECISIONS = {"accept": S.ACCEPTED, "waitlist": S.WAITLISTED, "decline": S.DECLINED}
DECIDABLE_FROM = {
    S.ACCEPTED: {S.SUBMITTED, S.WAITLISTED},
    S.WAITLISTED: {S.SUBMITTED},
    S.DECLINED: {S.SUBMITTED, S.WAITLISTED, S.ACCEPTED},
}
# Offerings whose nominations may still change.
LIVE = (Status.OPEN, Status.CLOSED, Status.RUNNING)


def acts_for(user, nation_id):
    """Staff act for every nation; a focal point for their own."""
    return is_centre_staff(user) or (bool(getattr(user, "is_focal_point", False)) and nation_id == user.nation_id)


def can_nominate(user, person):
    return acts_for(user, person.nation_id)


def can_withdraw(user, nomination):
    return acts_for(user, nomination.nation_id)


def deadline_passed(offering, today=None):
    return (today or timezone.localdate()) > offering.nomination_deadline


def _lock(offering):
    return plain.one(Offering, offering.pk, lock=True)


def _quota(offering, nation_id):
    # Only the quota row is locked: the quotas' ordering joins their nation, and FOR UPDATE would
    # lock that nation's row too, which every nomination of the nation checks at commit
    # (deadlocks on PostgreSQL between two nations' nominations).
    return Quota.objects.select_for_update(of=("self",)).filter(offering=offering, nation_id=nation_id).first()


def _fits(offering, quota):
    return offering.seats_taken < offering.capacity and (quota is None or quota.seats_taken < quota.seats)


def _seat(offering, quota, delta):
    """Take (1) or give back (-1) a seat of the offering and of the nation's quota."""
    Offering.objects.filter(pk=offering.pk).update(seats_taken=F("seats_taken") + delta)
    offering.seats_taken += delta
    if quota is not None:
        Quota.objects.filter(pk=quota.pk).update(seats_taken=F("seats_taken") + delta)
        quota.seats_taken += delta


def _move(offering, nomination, to, *, kind, by, reason="", at=None):
    counts.track(offering, nomination.nation_id, nomination.status, to)
    NominationEvent.objects.create(
        nomination=nomination,
        kind=kind,
        from_status=nomination.status,
        to_status=to,
        by=by,
        reason=reason,
        at=at or timezone.now(),
    )
    nomination.status = to
    nomination.save(update_fields=["status", "updated_at"])


def _admit_on_arrival(offering, nomination, at, tell=True):
    """First come, first served: a seat if the capacity and the quota allow, the waiting list if not."""
    quota = _quota(offering, nomination.nation_id)
    if _fits(offering, quota):
        _seat(offering, quota, 1)
        _move(offering, nomination, S.ACCEPTED, kind=NominationEvent.Kind.AUTOMATIC, by=None, at=at)
    else:
        _move(offering, nomination, S.WAITLISTED, kind=NominationEvent.Kind.AUTOMATIC, by=None, at=at)
    if tell:
        notify.later(nomination, nomination.status)


@transaction.atomic
@counted
def nomination_submit(*, by, offering, person, reason="", on=None):
    """Nominate `person`. `on` records a nomination of the past (importing a centre's history):
    the deadline is judged as of that day, and the record carries it."""
    offering = _lock(offering)
    person = plain.one(Person, person.pk, related="nation")
    reason = (reason or "").strip()
    if person.merged_into_id:
        raise DomainError(_("This record was merged into another; nominate that one."), "merged")
    if not can_nominate(by, person):
        raise NotAllowed(_("You may nominate only your own nation's people."))
    staff = is_centre_staff(by)
    if offering.status not in (Status.OPEN, Status.CLOSED) or (offering.status == Status.CLOSED and not staff):
        raise DomainError(_("This offering is not open for nominations."), "not_open")
    if deadline_passed(offering, on) or offering.status == Status.CLOSED:
        if not staff:
            raise DomainError(
                _("The nomination deadline (%(date)s) has passed.") % {"date": long_date(offering.nomination_deadline)},
                "deadline_passed",
            )
        if not reason:
            raise ValidationError({"reason": _("Give the reason for nominating after the deadline.")})
    status, quota, at = S.SUBMITTED, None, moment(on)
    if offering.admission == "first_come":
        # Decided on arrival: the nomination is written in the state it arrives at, with both
        # steps of its timeline at once.
        quota = _quota(offering, person.nation_id)
        status = S.ACCEPTED if _fits(offering, quota) else S.WAITLISTED
    nomination = Nomination(
        offering=offering, person=person, nation=person.nation, submitted_by=by, submitted_at=at, status=status
    )
    events = [
        NominationEvent(nomination=nomination, kind=NominationEvent.Kind.SUBMITTED, to_status=S.SUBMITTED, by=by,
                        reason=reason, at=at)
    ]  # fmt: skip
    if status != S.SUBMITTED:
        events.append(
            NominationEvent(nomination=nomination, kind=NominationEvent.Kind.AUTOMATIC, from_status=S.SUBMITTED,
                            to_status=status, at=at)
        )  # fmt: skip
    try:
        # The unique constraint answers "already nominated"; the failed insert needs no
        # savepoint of its own, since the refusal undoes this whole service.
        plain.insert_with(nomination, events, "nomination")
    except IntegrityError:
        raise DomainError(
            _("%(person)s is already nominated to this offering.") % {"person": person}, "already_nominated"
        ) from None
    counts.track(offering, nomination.nation_id, "", status)
    if status != S.SUBMITTED:
        if status == S.ACCEPTED:
            _seat(offering, quota, 1)
        if on is None:  # history is not news
            notify.later(nomination, status)
    nomination.new_events = events  # its whole timeline, for an answer that shows it
    return nomination


@transaction.atomic
@counted
def nomination_decide(*, by, nomination, decision, reason="", on=None):
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose accept, waitlist or decline.")})
    offering = _lock(nomination.offering)
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("nation").get(pk=nomination.pk)
    reason = (reason or "").strip()
    if not can_run(by, offering):
        raise NotAllowed(_("Only the offering's director or an administrator decides its nominations."))
    if offering.status not in LIVE:
        raise DomainError(_("The nominations of this offering can no longer change."), "offering_finished")
    to = DECISIONS[decision]
    if nomination.status not in DECIDABLE_FROM[to]:
        raise DomainError(
            _("A nomination that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(nomination.status).label, "to": to.label},
            "wrong_state",
        )
    if to == S.DECLINED and not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    quota = _quota(offering, nomination.nation_id)
    note = reason
    if to == S.ACCEPTED:
        note = _accept_checks(offering, quota, nomination, reason)
        _seat(offering, quota, 1)
    freed = nomination.status == S.ACCEPTED
    if freed:
        _seat(offering, quota, -1)
    _move(offering, nomination, to, kind=NominationEvent.Kind.DECIDED, by=by, reason=note, at=moment(on, hour=11))
    if on is None:
        notify.later(nomination, to)
    if freed:
        promote_waiting(offering)
    return nomination


def _accept_checks(offering, quota, nomination, reason):
    """Refuse an acceptance that would over-fill; raise a full quota by one when staff say why."""
    if offering.seats_taken >= offering.capacity:
        raise DomainError(
            _("All %(n)d seats are taken: decline or withdraw someone first, or raise the capacity.")
            % {"n": offering.capacity},
            "full",
        )
    if quota is None or quota.seats_taken < quota.seats:
        return reason
    if not reason:
        raise DomainError(
            _("The quota of %(nation)s (%(n)d seats) is full; give a reason to accept over the quota.")
            % {"nation": nomination.nation.name, "n": quota.seats},
            "quota_full",
        )
    Quota.objects.filter(pk=quota.pk).update(seats=F("seats") + 1)
    quota.seats += 1
    return _("Quota of %(nation)s raised from %(old)d to %(new)d: %(reason)s") % {
        "nation": nomination.nation.name,
        "old": quota.seats - 1,
        "new": quota.seats,
        "reason": reason,
    }


@transaction.atomic
@counted
def nomination_withdraw(*, by, nomination, reason=""):
    offering = _lock(nomination.offering)
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("nation").get(pk=nomination.pk)
    if not can_withdraw(by, nomination):
        raise NotAllowed(_("Only the nominating nation's focal points or centre staff may withdraw it."))
    if offering.status not in LIVE:
        raise DomainError(_("The nominations of this offering can no longer change."), "offering_finished")
    if nomination.status not in ACTIVE:
        raise DomainError(_("Only a submitted, accepted or wait-listed nomination can be withdrawn."), "wrong_state")
    freed = nomination.status == S.ACCEPTED
    if freed:
        _seat(offering, _quota(offering, nomination.nation_id), -1)
    _move(offering, nomination, S.WITHDRAWN, kind=NominationEvent.Kind.WITHDRAWN, by=by, reason=(reason or "").strip())
    if freed:
        promote_waiting(offering)
    return nomination


def promote_waiting(offering, freed=1):
    """Give free seats to the waiting list in submission order, skipping those whose nation's
    quota is full. The caller holds the offering's lock.

    First come, first served: every free seat goes to the list. On the director's decision, only
    the `freed` seat does: the director may keep seats free on purpose (a reserve list, late
    candidates of another nation), and a withdrawal must not undo that choice."""
    if offering.status not in LIVE or offering.seats_taken >= offering.capacity:
        return []
    limit = None if offering.admission == "first_come" else freed
    quotas = {q.nation_id: q for q in Quota.objects.select_for_update(of=("self",)).filter(offering=offering)}
    promoted = []
    waiting = Nomination.objects.select_for_update().filter(offering=offering, status=S.WAITLISTED)
    for nomination in waiting.order_by("submitted_at", "id"):
        if offering.seats_taken >= offering.capacity or (limit is not None and len(promoted) >= limit):
            break
        quota = quotas.get(nomination.nation_id)
        if not _fits(offering, quota):
            continue
        _seat(offering, quota, 1)
        _move(offering, nomination, S.ACCEPTED, kind=NominationEvent.Kind.PROMOTED, by=None)
        notify.later(nomination, "promoted")
        promoted.append(nomination)
    return promoted


@counted
def promote_after_change(offering):
    """After the capacity, the quotas or the admission of an offering changed (inside that
    transaction): on a first-come offering the waiting list takes the new seats, then candidates
    still waiting for a decision are admitted in the order they came; on a decision offering,
    the director decides."""
    offering = _lock(offering)
    promoted = promote_waiting(offering, freed=0)
    if offering.admission == "first_come" and offering.status in LIVE:
        pending = Nomination.objects.select_for_update().filter(offering=offering, status=S.SUBMITTED)
        for nomination in pending.order_by("submitted_at", "id"):
            _admit_on_arrival(offering, nomination, timezone.now())
    return promoted


@transaction.atomic
def nomination_import_prepare(*, by, offering, rows, filename=""):
    """Keep a checked spreadsheet's rows (spreadsheet.read_rows) for its author to confirm."""
    return NominationImport.objects.create(offering=offering, by=by, filename=filename[:200], rows=rows)


class ImportRefused(Exception):
    """Some rows could not be nominated; nothing was. `errors` is [(row, message)]."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
@counted
def nomination_import(*, by, batch, choices):
    """Nominate every row of a checked spreadsheet, or none. `choices` maps a row number to
    the id of the existing person it is, or to "new"."""
    if batch.by_id != by.pk:
        raise NotAllowed(_("Only the person who uploaded the file may confirm it."))
    if batch.done_at is not None:
        raise DomainError(_("This file has already been imported."), "already_imported")
    offering = batch.offering
    errors, done = [], []
    visible = Person.objects.visible_to(by)
    for row in batch.rows:
        number = row["row"]
        choice = str(choices.get(number, "")).strip()
        try:
            if choice == "new" or (not choice and not row.get("matches")):
                fields = {
                    k: row.get(k, "")
                    for k in ("name_ar", "name_en", "rank", "position", "organization", "email", "phone", "language")
                }
                person = person_create(by=by, nation=Nation.objects.get(code=row["nation"]), **fields)
            else:
                person = visible.filter(pk=int(choice) if choice.isdigit() else 0).first()
                if person is None:
                    errors.append((number, _("choose an existing person or “new”")))
                    continue
            done.append(nomination_submit(by=by, offering=offering, person=person))
        except (DomainError, ValidationError) as error:
            errors.append((number, refusal(error)))
    if errors:
        raise ImportRefused(errors)  # and the transaction takes back every row done so far
    batch.done_at = timezone.now()
    batch.save(update_fields=["done_at"])
    return done
