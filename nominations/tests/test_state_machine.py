"""The seat invariants under any sequence of operations: a hypothesis state machine submits,
decides and withdraws nominations, and changes capacities, quotas, deadlines, admission and the
offerings' states, through the services, as every kind of user; after every step it checks the
invariants against the database.

Each rule predicts from the state before it what the services must answer (a status, or a
refusal with its code, or a ValidationError naming the field), so a refusal is an outcome to
check, not something to swallow. Each example runs in a savepoint that is rolled back, so every
example starts from the same users and people and no offering.
"""

import contextlib
import itertools
import time
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.models import Role
from core.errors import DomainError
from core.testing.factories import CourseFactory, OfferingFactory, PersonFactory, UserFactory, nation
from nominations import services
from nominations.models import ACTIVE, Nomination, NominationEvent
from reports.models import STATES, NominationCount
from training import services as training_services
from training.models import Offering, Quota, Status

NATIONS = ("KWT", "BHR", "QAT")
PEOPLE_PER_NATION = 3
LIVE = (Status.OPEN, Status.CLOSED, Status.RUNNING)
DECIDABLE_FROM = {
    "accept": {"submitted", "waitlisted"},
    "waitlist": {"submitted"},
    "decline": {"submitted", "waitlisted", "accepted"},
}
TO = {"accept": "accepted", "waitlist": "waitlisted", "decline": "declined"}

OUTCOMES = Counter()  # (service, outcome) → calls, for the figures printed at the end
quota_maps = st.dictionaries(st.sampled_from(NATIONS), st.integers(0, 3), max_size=3)


def outcome(call, **kwargs):
    """("ok", result) or ("refused", code) or ("invalid", fields): what a service answered."""
    try:
        result = "ok", call(**kwargs)
    except DomainError as error:  # NotAllowed included: its code is "not_allowed"
        result = "refused", error.code
    except ValidationError as error:
        result = "invalid", sorted(error.message_dict)
    OUTCOMES[call.__name__, result[0]] += 1
    return result


class World:
    """Users and people made once for the whole test; offerings are made per example."""

    def __init__(self):
        make = UserFactory
        self.users = {
            "admin": make(username="sm-admin", role=Role.ADMIN),
            "director": make(username="sm-director", role=Role.DIRECTOR),
            "other_director": make(username="sm-director2", role=Role.DIRECTOR),
            **{
                f"focal_{code}": make(username=f"sm-focal-{code}", role=Role.FOCAL_POINT, nation=nation(code))
                for code in NATIONS
            },
        }
        self.nations = {code: nation(code) for code in NATIONS}
        self.people = [
            PersonFactory(nation=self.nations[code], name_en=f"{code} candidate {i}")
            for code in NATIONS
            for i in range(PEOPLE_PER_NATION)
        ]
        self.course = CourseFactory()


class SeatMachine(RuleBasedStateMachine):
    world: World = None  # given by the test

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.offering_ids = []
        self.steps_since_change = 0
        OUTCOMES["examples", ""] += 1
        self.seen_event = NominationEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers -------------------------------------------------------------------------------

    def user(self, name):
        return self.world.users[name]

    def offering(self, index):
        return Offering.objects.get(pk=self.offering_ids[index % len(self.offering_ids)])

    def nominations(self):
        return list(Nomination.objects.filter(offering_id__in=self.offering_ids).order_by("id"))

    def has_nominations(self):
        return Nomination.objects.filter(offering_id__in=self.offering_ids).exists()

    def pick(self, n, statuses=None):
        """The n-th nomination (modulo), among those in `statuses` if asked and there are any."""
        nominations = self.nominations()
        if statuses and any(x.status in statuses for x in nominations):
            nominations = [x for x in nominations if x.status in statuses]
        return nominations[n % len(nominations)]

    @staticmethod
    def fits(offering, nation_id):
        quota = Quota.objects.filter(offering=offering, nation_id=nation_id).first()
        return offering.seats_taken < offering.capacity and (quota is None or quota.seats_taken < quota.seats)

    def new_events(self):
        events = list(NominationEvent.objects.filter(id__gt=self.seen_event).order_by("id"))
        if events:
            self.seen_event = events[-1].id
        return events

    def check_promotions(self, offering_id, promoted, freed):
        """The nominations promoted in this step are those the waiting list, taken in submission
        order and skipping nations whose quota is full, gives the seats free once the step's own
        change was made: every free seat on a first-come offering; on a director's decision only
        the `freed` one (the director may keep seats free on purpose)."""
        offering = Offering.objects.get(pk=offering_id)
        if offering.status not in LIVE:
            assert promoted == []
            return
        limit = None if offering.admission == "first_come" else freed
        mine = Nomination.objects.filter(offering=offering)
        queue = list(mine.filter(pk__in=[*promoted, *mine.filter(status="waitlisted").values_list("pk", flat=True)]))
        queue.sort(key=lambda n: (n.submitted_at, n.id))
        taken = mine.filter(status="accepted").count() - len(promoted)
        taken_of = Counter(mine.filter(status="accepted").exclude(pk__in=promoted).values_list("nation_id", flat=True))
        quotas = dict(Quota.objects.filter(offering=offering).values_list("nation_id", "seats"))
        expected = []
        for n in queue:
            if taken >= offering.capacity or (limit is not None and len(expected) >= limit):
                break
            if n.nation_id in quotas and taken_of[n.nation_id] >= quotas[n.nation_id]:
                continue
            taken += 1
            taken_of[n.nation_id] += 1
            expected.append(n.pk)
        assert sorted(promoted) == sorted(expected), (promoted, expected)

    def step_done(self, offering_id, freed=None):
        """After each rule: nobody promoted unless a seat was freed (`freed` = 1) or the offering
        changed (`freed` = 0), and then exactly those check_promotions expects."""
        self.steps_since_change += 1
        events = self.new_events()
        promoted = [e.nomination_id for e in events if e.kind == NominationEvent.Kind.PROMOTED]
        if freed is None:
            assert promoted == [], "promoted without a seat being freed or added"
        else:
            self.check_promotions(offering_id, promoted, freed)

    # --- rules ---------------------------------------------------------------------------------

    @initialize(
        first=st.tuples(st.integers(1, 4), quota_maps),
        second=st.tuples(st.integers(1, 4), quota_maps),
    )
    def two_open_offerings(self, first, second):
        """One first-come offering and one decided by its director, open for nominations."""
        admin, start = self.user("admin"), timezone.localdate() + timedelta(days=40)
        for i, (admission, (capacity, quotas)) in enumerate((("first_come", first), ("decision", second))):
            offering = training_services.offering_create(
                by=admin,
                course=self.world.course,
                code=f"SM-{i}",
                start_date=start,
                end_date=start + timedelta(days=4),
                nomination_deadline=start - timedelta(days=21),
                venue_en="Kuwait",
                venue_ar="الكويت",
                capacity=capacity,
                admission=admission,
                director=self.user("director"),
                quotas={self.world.nations[code]: min(seats, capacity) for code, seats in quotas.items()},
            )
            training_services.offering_transition(by=admin, offering=offering, to=Status.OPEN)
            self.offering_ids.append(offering.pk)
        self.new_events()

    @rule(
        o=st.integers(0, 1),
        p=st.integers(0, len(NATIONS) * PEOPLE_PER_NATION - 1),
        actor=st.sampled_from(["own_focal", "other_focal", "director", "other_director", "admin"]),
        reason=st.sampled_from(["", "nominated late with the director's agreement"]),
    )
    def submit(self, o, p, actor, reason):
        offering, person = self.offering(o), self.world.people[p]
        if actor == "own_focal":
            by = self.user(f"focal_{person.nation.code}")
        elif actor == "other_focal":
            by = self.user(f"focal_{NATIONS[(NATIONS.index(person.nation.code) + 1) % len(NATIONS)]}")
        else:
            by = self.user(actor)
        staff = actor in ("director", "other_director", "admin")
        late = offering.nomination_deadline < timezone.localdate() or offering.status == Status.CLOSED
        if not staff and by.nation_id != person.nation_id:
            expected = ("refused", "not_allowed")
        elif offering.status not in (Status.OPEN, Status.CLOSED) or (offering.status == Status.CLOSED and not staff):
            expected = ("refused", "not_open")
        elif late and not staff:
            expected = ("refused", "deadline_passed")
        elif late and not reason:
            expected = ("invalid", ["reason"])
        elif Nomination.objects.filter(offering=offering, person=person).exists():
            expected = ("refused", "already_nominated")
        elif offering.admission == "first_come":
            expected = ("ok", "accepted" if self.fits(offering, person.nation_id) else "waitlisted")
        else:
            expected = ("ok", "submitted")
        result, value = outcome(services.nomination_submit, by=by, offering=offering, person=person, reason=reason)
        if result == "ok":
            value = Nomination.objects.get(pk=value.pk).status
        assert (result, value) == expected
        self.step_done(offering.pk)

    @precondition(lambda self: self.has_nominations())
    @rule(
        n=st.integers(0, 1000),
        anyone=st.integers(0, 3),  # mostly one the action applies to
        decision=st.sampled_from(["accept", "waitlist", "decline"]),
        actor=st.sampled_from(["director", "director", "admin", "admin", "other_director", "focal"]),
        reason=st.sampled_from(["", "an exceptional candidate"]),
    )
    def decide(self, n, anyone, decision, actor, reason):
        nomination = self.pick(n, None if anyone == 3 else DECIDABLE_FROM[decision])
        offering = nomination.offering
        by = self.user(f"focal_{nomination.nation.code}" if actor == "focal" else actor)
        quota = Quota.objects.filter(offering=offering, nation_id=nomination.nation_id).first()
        quota_full = quota is not None and quota.seats_taken >= quota.seats
        if actor not in ("director", "admin"):
            expected = ("refused", "not_allowed")
        elif offering.status not in LIVE:
            expected = ("refused", "offering_finished")
        elif nomination.status not in DECIDABLE_FROM[decision]:
            expected = ("refused", "wrong_state")
        elif decision == "decline" and not reason:
            expected = ("invalid", ["reason"])
        elif decision == "accept" and offering.seats_taken >= offering.capacity:
            expected = ("refused", "full")
        elif decision == "accept" and quota_full and not reason:
            expected = ("refused", "quota_full")
        else:
            expected = ("ok", TO[decision])
        freed = expected[0] == "ok" and nomination.status == "accepted"
        result, value = outcome(
            services.nomination_decide, by=by, nomination=nomination, decision=decision, reason=reason
        )
        if result == "ok":
            value = Nomination.objects.get(pk=nomination.pk).status
            if decision == "accept" and quota_full:  # accepted over the quota: it grew by one seat
                assert Quota.objects.get(pk=quota.pk).seats == quota.seats + 1
        assert (result, value) == expected
        self.step_done(offering.pk, freed=1 if freed else None)

    @precondition(lambda self: self.has_nominations())
    @rule(
        n=st.integers(0, 1000),
        anyone=st.integers(0, 3),  # mostly one the action applies to
        actor=st.sampled_from(["own_focal", "own_focal", "other_focal", "director", "other_director", "admin"]),
        reason=st.sampled_from(["", "no longer available"]),
    )
    def withdraw(self, n, anyone, actor, reason):
        nomination = self.pick(n, None if anyone == 3 else ACTIVE)
        offering, code = nomination.offering, nomination.nation.code
        if actor == "own_focal":
            by = self.user(f"focal_{code}")
        elif actor == "other_focal":
            by = self.user(f"focal_{NATIONS[(NATIONS.index(code) + 1) % len(NATIONS)]}")
        else:
            by = self.user(actor)
        if actor == "other_focal":
            expected = ("refused", "not_allowed")
        elif offering.status not in LIVE:
            expected = ("refused", "offering_finished")
        elif nomination.status not in ACTIVE:
            expected = ("refused", "wrong_state")
        else:
            expected = ("ok", "withdrawn")
        freed = expected[0] == "ok" and nomination.status == "accepted"
        result, value = outcome(services.nomination_withdraw, by=by, nomination=nomination, reason=reason)
        if result == "ok":
            value = Nomination.objects.get(pk=nomination.pk).status
        assert (result, value) == expected
        self.step_done(offering.pk, freed=1 if freed else None)

    @precondition(lambda self: self.steps_since_change >= 3)  # nominations deserve most steps
    @rule(
        o=st.integers(0, 1),
        capacity=st.none() | st.integers(1, 5),
        quotas=st.none() | quota_maps,
        deadline=st.sampled_from([None, "past", "future"]),
        admission=st.sampled_from([None, "first_come", "decision"]),
        actor=st.sampled_from(["director", "director", "admin", "other_director", "focal_KWT"]),
    )
    def update_offering(self, o, capacity, quotas, deadline, admission, actor):
        offering = self.offering(o)
        fields = {}
        if capacity is not None:
            fields["capacity"] = capacity
        if admission is not None:
            fields["admission"] = admission
        if deadline == "past":
            fields["nomination_deadline"] = timezone.localdate() - timedelta(days=1)
        elif deadline == "future":
            fields["nomination_deadline"] = offering.start_date - timedelta(days=21)
        new_quotas = None if quotas is None else {self.world.nations[c]: seats for c, seats in quotas.items()}
        new_capacity = fields.get("capacity", offering.capacity)
        accepted = Counter(offering.nominations.filter(status="accepted").values_list("nation__code", flat=True))
        invalid = set()
        if new_capacity < offering.seats_taken:
            invalid.add("capacity")
        if quotas is not None and any(seats > new_capacity for seats in quotas.values()):
            invalid.add("quotas")
        if not invalid and quotas is not None and any(seats < accepted[c] for c, seats in quotas.items()):
            invalid.add("quotas")
        if actor not in ("director", "admin"):
            expected = ("refused", "not_allowed")
        elif offering.status in (Status.COMPLETED, Status.CANCELLED):
            expected = ("refused", "finished")
        elif invalid:
            expected = ("invalid", sorted(invalid))
        else:
            expected = ("ok", None)
        result, value = outcome(
            training_services.offering_update, by=self.user(actor), offering=offering, quotas=new_quotas, **fields
        )
        assert (result, None if result == "ok" else value) == expected
        if result == "ok":
            offering.refresh_from_db()
            assert offering.capacity == new_capacity
            if quotas is not None:
                assert dict(offering.quotas.values_list("nation__code", "seats")) == quotas
        self.steps_since_change = 0
        self.step_done(offering.pk, freed=0 if result == "ok" else None)

    @precondition(lambda self: self.steps_since_change >= 3)  # nominations deserve most steps
    @rule(o=st.integers(0, 1), dice=st.integers(0, 9))
    def transition(self, o, dice):
        """Close nominations or open them again; once in a while cancel the offering."""
        offering = self.offering(o)
        to = Status.CANCELLED if dice == 9 else Status.CLOSED if offering.status == Status.OPEN else Status.OPEN
        allowed = training_services.TRANSITIONS[Status(offering.status)]
        refused = to not in allowed or (to == Status.OPEN and offering.nomination_deadline < timezone.localdate())
        result, value = outcome(
            training_services.offering_transition, by=self.user("admin"), offering=offering, to=to, reason="no budget"
        )
        assert (result, value if refused else None) == (("refused", "transition_refused") if refused else ("ok", None))
        self.steps_since_change = 0
        self.step_done(offering.pk)

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def seats_hold(self):
        problems = []
        nominations = self.nominations()
        events = defaultdict(list)
        for e in NominationEvent.objects.filter(nomination__in=nominations).order_by("id"):
            events[e.nomination_id].append(e)
        pairs = Counter((n.offering_id, n.person_id) for n in nominations)
        problems += [f"{count} nominations of {pair}" for pair, count in pairs.items() if count > 1]
        offerings = Offering.objects.filter(pk__in=self.offering_ids).select_related("course")
        for offering in offerings:
            mine = [n for n in nominations if n.offering_id == offering.pk]
            accepted = Counter(n.nation_id for n in mine if n.status == "accepted")
            if sum(accepted.values()) > offering.capacity:
                problems.append(f"{offering}: {sum(accepted.values())} accepted > capacity {offering.capacity}")
            if offering.seats_taken != sum(accepted.values()):
                problems.append(f"{offering}: seats_taken {offering.seats_taken} != {sum(accepted.values())}")
            quotas = {q.nation_id: q for q in offering.quotas.all()}
            for q in quotas.values():
                if accepted[q.nation_id] > q.seats:
                    problems.append(f"{offering}/{q}: {accepted[q.nation_id]} accepted > quota")
                if q.seats_taken != accepted[q.nation_id]:
                    problems.append(f"{offering}/{q}: seats_taken {q.seats_taken} != {accepted[q.nation_id]}")
            for n in mine:
                chain = events[n.id]
                if not chain or (chain[0].from_status, chain[0].to_status) != ("", "submitted"):
                    problems.append(f"nomination {n.id}: no submission first")
                    continue
                for before, after in itertools.pairwise(chain):
                    if after.from_status != before.to_status:
                        problems.append(f"nomination {n.id}: {after} after reaching {before.to_status}")
                if chain[-1].to_status != n.status:
                    problems.append(f"nomination {n.id}: status {n.status}, last event {chain[-1]}")
                # First come, first served: the waiting list holds only who cannot fit. (On a director's
                # decision, the director may keep seats free on purpose.)
                if n.status != "waitlisted" or offering.status not in LIVE or offering.admission != "first_come":
                    continue
                quota = quotas.get(n.nation_id)
                if offering.seats_taken < offering.capacity and (quota is None or quota.seats_taken < quota.seats):
                    problems.append(
                        f"nomination {n.id} is wait-listed on {offering} though a seat of its nation is free"
                    )
        # The counts the services maintain for the yearly figures add up too.
        counted = Counter()
        for row in NominationCount.objects.values():
            key = (row["year"], row["nation_id"], row["area_id"])
            counted.update({(*key, state): row[state] for state in STATES if row[state]})
        key_of = {o.pk: (o.start_date.year, o.course.area_id) for o in offerings}
        actual = Counter(
            (key_of[n.offering_id][0], n.nation_id, key_of[n.offering_id][1], n.status) for n in nominations
        )
        if counted != actual:
            problems.append(f"maintained counts {dict(counted)} != the nominations {dict(actual)}")
        assert problems == []


@pytest.mark.django_db
def test_seat_invariants_hold_whatever_the_sequence_of_operations(tmp_path):
    OUTCOMES.clear()
    started = time.monotonic()
    machine = type("Machine", (SeatMachine,), {"world": World()})
    set_hypothesis_home_dir(tmp_path)  # its caches stay out of the checkout
    try:
        run_state_machine_as_test(
            machine,
            settings=hsettings(
                max_examples=60,
                stateful_step_count=25,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        set_hypothesis_home_dir(None)
    calls = Counter()
    for (name, result), count in OUTCOMES.items():
        calls[name, "ok" if result == "ok" else "refused"] += count
    names = ("nomination_submit", "nomination_decide", "nomination_withdraw", "offering_update", "offering_transition")
    figures = ", ".join(f"{n.split('_')[1]} {calls[n, 'ok']} ok/{calls[n, 'refused']} refused" for n in names)
    print(
        f"\n[{connection.vendor}] state machine: {OUTCOMES['examples', '']} examples, "
        f"{sum(calls.values())} steps ({figures}); {time.monotonic() - started:.1f} s"
    )
    assert calls["nomination_submit", "ok"] and calls["nomination_decide", "ok"] and calls["nomination_withdraw", "ok"]


def test_the_invariants_see_a_wrong_seat_count(db):
    """The checks above can fail: a seat count off by one is caught."""
    machine = type("Machine", (SeatMachine,), {"world": World()})()
    try:
        machine.two_open_offerings(first=(3, {}), second=(3, {}))
        machine.submit(o=0, p=0, actor="own_focal", reason="")
        machine.seats_hold()
        Offering.objects.filter(pk=machine.offering_ids[0]).update(seats_taken=F("seats_taken") + 1)
        with pytest.raises(AssertionError, match="seats_taken 2 != 1"):
            machine.seats_hold()
    finally:
        machine.teardown()


def waitlisted_that_fit(offering):
    offering.refresh_from_db()
    quotas = {q.nation_id: q for q in offering.quotas.all()}
    return [
        n
        for n in offering.nominations.filter(status="waitlisted")
        if offering.seats_taken < offering.capacity
        and (n.nation_id not in quotas or quotas[n.nation_id].seats_taken < quotas[n.nation_id].seats)
    ]


@pytest.mark.django_db
def test_switching_to_first_come_admits_the_candidates_waiting_for_a_decision(users):
    """On a first-come offering the waiting list holds only who cannot fit (found by the state
    machine above when its exemption for the director's decisions is taken away).

    A decision offering of 1 seat has a submitted candidate; the director switches it to first
    come, first served: the candidate is admitted as if arriving now, so nothing is left for the
    director to wait-list on a free seat."""
    director = users["director"]
    offering = OfferingFactory(admission="decision", capacity=1, director=director)
    candidate = services.nomination_submit(
        by=users["focal"], offering=offering, person=PersonFactory(nation=nation("KWT"))
    )
    training_services.offering_update(by=director, offering=offering, admission="first_come")
    with contextlib.suppress(DomainError):  # refusing it would be a fix
        services.nomination_decide(by=director, nomination=candidate, decision="waitlist")
    assert waitlisted_that_fit(offering) == []
