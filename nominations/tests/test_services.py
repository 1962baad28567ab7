from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.errors import DomainError, NotAllowed
from core.testing.factories import OfferingFactory, PersonFactory, nation
from nominations import services
from nominations.models import Nomination, NominationEvent
from training import services as training_services
from training.models import Quota, Status

S = ["submitted", "accepted", "waitlisted", "declined", "withdrawn"]


def offering_with(director, capacity=3, quotas=None, admission="decision", **fields):
    offering = OfferingFactory(capacity=capacity, admission=admission, director=director, **fields)
    for code, seats in (quotas or {}).items():
        Quota.objects.create(offering=offering, nation=nation(code), seats=seats)
    return offering


def kwt(n=1, **fields):
    return [PersonFactory(nation=nation("KWT"), **fields) for _ in range(n)]


def bhr(n=1, **fields):
    return [PersonFactory(nation=nation("BHR"), **fields) for _ in range(n)]


def status_of(nomination):
    nomination.refresh_from_db()
    return nomination.status


def seats(offering):
    offering.refresh_from_db()
    return offering.seats_taken


@pytest.mark.django_db
class TestSubmit:
    def test_focal_point_nominates_own_nation(self, users):
        offering = offering_with(users["director"])
        (person,) = kwt()
        nomination = services.nomination_submit(by=users["focal"], offering=offering, person=person)
        assert nomination.status == "submitted" and nomination.nation.code == "KWT"
        event = nomination.events.get()
        assert (event.kind, event.to_status, event.by) == ("submitted", "submitted", users["focal"])

    def test_focal_point_cannot_nominate_another_nations_person(self, users):
        offering = offering_with(users["director"])
        (person,) = bhr()
        with pytest.raises(NotAllowed):
            services.nomination_submit(by=users["focal"], offering=offering, person=person)
        assert not Nomination.objects.exists()

    @pytest.mark.parametrize("role", ["observer", "instructor", "participant"])
    def test_other_roles_cannot_nominate(self, users, role):
        with pytest.raises(NotAllowed):
            services.nomination_submit(by=users[role], offering=offering_with(users["director"]), person=kwt()[0])

    def test_one_nomination_per_person_per_offering(self, users):
        offering = offering_with(users["director"])
        (person,) = kwt()
        services.nomination_submit(by=users["focal"], offering=offering, person=person)
        with pytest.raises(DomainError) as refused:
            services.nomination_submit(by=users["admin"], offering=offering, person=person)
        assert refused.value.code == "already_nominated"
        assert Nomination.objects.count() == 1

    def test_after_the_deadline_only_staff_with_a_reason(self, users):
        today = timezone.localdate()
        offering = offering_with(users["director"], nomination_deadline=today - timedelta(days=1))
        person, other = kwt(2)
        with pytest.raises(DomainError) as refused:
            services.nomination_submit(by=users["focal"], offering=offering, person=person)
        assert refused.value.code == "deadline_passed"
        with pytest.raises(ValidationError) as missing:
            services.nomination_submit(by=users["director"], offering=offering, person=person)
        assert "reason" in missing.value.message_dict
        late = services.nomination_submit(
            by=users["director"], offering=offering, person=other, reason="Minister's request"
        )
        assert late.events.get().reason == "Minister's request"
        assert Nomination.objects.count() == 1

    def test_deadline_day_itself_is_still_open(self, users):
        offering = offering_with(users["director"], nomination_deadline=timezone.localdate())
        services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0])

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.RUNNING, Status.COMPLETED, Status.CANCELLED])
    def test_offering_not_open_refuses(self, users, status):
        offering = offering_with(users["director"], status=status)
        with pytest.raises(DomainError) as refused:
            services.nomination_submit(by=users["admin"], offering=offering, person=kwt()[0], reason="x")
        assert refused.value.code == "not_open"


@pytest.mark.django_db
class TestFirstCome:
    def test_accepts_while_seats_and_quota_allow_then_waitlists(self, users):
        offering = offering_with(users["director"], capacity=3, quotas={"KWT": 2}, admission="first_come")
        results = [services.nomination_submit(by=users["focal"], offering=offering, person=p).status for p in kwt(3)]
        assert results == ["accepted", "accepted", "waitlisted"]  # Kuwait's quota is 2
        assert services.nomination_submit(by=users["focal_other"], offering=offering, person=bhr()[0]).status == (
            "accepted"
        )
        assert services.nomination_submit(by=users["focal_other"], offering=offering, person=bhr()[0]).status == (
            "waitlisted"
        )  # capacity 3 reached
        assert seats(offering) == 3
        assert Quota.objects.get(offering=offering, nation__code="KWT").seats_taken == 2

    def test_timeline_shows_the_automatic_decision(self, users):
        offering = offering_with(users["director"], admission="first_come")
        nomination = services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0])
        kinds = list(nomination.events.values_list("kind", "to_status", "by"))
        assert kinds == [("submitted", "submitted", users["focal"].pk), ("automatic", "accepted", None)]

    def test_the_timeline_answered_is_the_one_stored_and_written_with_the_nomination(self, users):
        """The nomination and its events are written together (one statement on PostgreSQL);
        what the service answers, ids and all, is what a later read finds."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        offering = offering_with(users["director"], admission="first_come")
        with CaptureQueriesContext(connection) as written:
            nomination = services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0], reason="r")
        stored = Nomination.objects.get(pk=nomination.pk)
        assert (stored.status, stored.person_id, stored.submitted_by_id) == ("accepted", nomination.person_id,
                                                                            users["focal"].pk)  # fmt: skip
        assert stored.updated_at == nomination.updated_at and stored.submitted_at == nomination.submitted_at
        fields = ("pk", "kind", "from_status", "to_status", "by_id", "at", "reason", "nomination_id")
        answered = [tuple(getattr(event, f) for f in fields) for event in nomination.new_events]
        assert answered == list(
            NominationEvent.objects.filter(nomination=nomination).order_by("pk").values_list(*fields)
        )
        assert answered[1][:4] == (answered[0][0] + 1, "automatic", "submitted", "accepted") and answered[0][6] == "r"
        inserts = [q["sql"] for q in written.captured_queries if "INSERT INTO" in q["sql"] and "nomination" in q["sql"]]
        if connection.vendor == "postgresql":
            assert (
                sum('"nominations_nomination"' in sql and '"nominations_nominationevent"' in sql for sql in inserts)
                == 1
            )


@pytest.mark.django_db
class TestDecide:
    def submitted(self, users, offering, people):
        return [services.nomination_submit(by=users["admin"], offering=offering, person=p) for p in people]

    def test_accept_waitlist_decline(self, users):
        offering = offering_with(users["director"])
        a, b, c = self.submitted(users, offering, kwt(3))
        services.nomination_decide(by=users["director"], nomination=a, decision="accept")
        services.nomination_decide(by=users["director"], nomination=b, decision="waitlist")
        services.nomination_decide(by=users["director"], nomination=c, decision="decline", reason="Rank too junior")
        assert [status_of(n) for n in (a, b, c)] == ["accepted", "waitlisted", "declined"]
        assert seats(offering) == 1
        assert c.events.last().reason == "Rank too junior"

    def test_decline_needs_a_reason(self, users):
        offering = offering_with(users["director"])
        (a,) = self.submitted(users, offering, kwt())
        with pytest.raises(ValidationError):
            services.nomination_decide(by=users["director"], nomination=a, decision="decline")
        assert status_of(a) == "submitted"

    def test_only_the_director_or_an_admin_decides(self, users):
        offering = offering_with(users["director"])
        (a,) = self.submitted(users, offering, kwt())
        for role in ("director_other", "focal", "observer", "instructor"):
            with pytest.raises(NotAllowed):
                services.nomination_decide(by=users[role], nomination=a, decision="accept")
        services.nomination_decide(by=users["admin"], nomination=a, decision="accept")

    def test_full_offering_refuses_acceptance(self, users):
        offering = offering_with(users["director"], capacity=1)
        a, b = self.submitted(users, offering, kwt(2))
        services.nomination_decide(by=users["director"], nomination=a, decision="accept")
        with pytest.raises(DomainError) as refused:
            services.nomination_decide(by=users["director"], nomination=b, decision="accept", reason="please")
        assert refused.value.code == "full"
        assert status_of(b) == "submitted" and seats(offering) == 1

    def test_over_quota_needs_a_reason_and_raises_the_quota(self, users):
        offering = offering_with(users["director"], capacity=5, quotas={"KWT": 1})
        a, b = self.submitted(users, offering, kwt(2))
        services.nomination_decide(by=users["director"], nomination=a, decision="accept")
        with pytest.raises(DomainError) as refused:
            services.nomination_decide(by=users["director"], nomination=b, decision="accept")
        assert refused.value.code == "quota_full"
        services.nomination_decide(by=users["director"], nomination=b, decision="accept", reason="Host nation")
        quota = Quota.objects.get(offering=offering, nation__code="KWT")
        assert (quota.seats, quota.seats_taken) == (2, 2)
        assert "Host nation" in b.events.last().reason and "1" in b.events.last().reason

    def test_wrong_state_is_refused(self, users):
        offering = offering_with(users["director"])
        (a,) = self.submitted(users, offering, kwt())
        services.nomination_decide(by=users["director"], nomination=a, decision="decline", reason="no")
        with pytest.raises(DomainError) as refused:
            services.nomination_decide(by=users["director"], nomination=a, decision="accept")
        assert refused.value.code == "wrong_state"

    def test_unknown_decision(self, users):
        offering = offering_with(users["director"])
        (a,) = self.submitted(users, offering, kwt())
        with pytest.raises(ValidationError):
            services.nomination_decide(by=users["director"], nomination=a, decision="maybe")


@pytest.mark.django_db
class TestWaitingList:
    def test_withdrawal_promotes_the_first_waiting_that_fits(self, users):
        offering = offering_with(users["director"], capacity=2, quotas={"KWT": 1}, admission="first_come")
        k1, k2 = kwt(2)
        b1, b2 = bhr(2)
        a = services.nomination_submit(by=users["focal"], offering=offering, person=k1)  # accepted
        w_kwt = services.nomination_submit(by=users["focal"], offering=offering, person=k2)  # quota full
        b = services.nomination_submit(by=users["focal_other"], offering=offering, person=b1)  # accepted
        w_bhr = services.nomination_submit(by=users["focal_other"], offering=offering, person=b2)  # full
        assert [status_of(n) for n in (a, w_kwt, b, w_bhr)] == ["accepted", "waitlisted", "accepted", "waitlisted"]
        services.nomination_withdraw(by=users["focal_other"], nomination=b, reason="Illness")
        # Kuwait's waiting nomination came first but its quota is still full: Bahrain's moves up.
        assert [status_of(n) for n in (w_kwt, w_bhr)] == ["waitlisted", "accepted"]
        assert w_bhr.events.last().kind == NominationEvent.Kind.PROMOTED
        assert seats(offering) == 2

    def test_declining_an_accepted_nomination_promotes(self, users):
        offering = offering_with(users["director"], capacity=1, admission="first_come")
        first, second = kwt(2)
        a = services.nomination_submit(by=users["focal"], offering=offering, person=first)
        w = services.nomination_submit(by=users["focal"], offering=offering, person=second)
        services.nomination_decide(by=users["director"], nomination=a, decision="decline", reason="Not eligible")
        assert (status_of(a), status_of(w)) == ("declined", "accepted")
        assert seats(offering) == 1

    def test_on_a_decision_offering_a_freed_seat_promotes_one_and_reserves_stay(self, users):
        """The director may keep a reserve list while seats are free; a withdrawal gives its seat
        to the first in line and leaves the director's other choices alone."""
        offering = offering_with(users["director"], capacity=4)
        a, b, c = [services.nomination_submit(by=users["focal"], offering=offering, person=p) for p in kwt(3)]
        services.nomination_decide(by=users["director"], nomination=a, decision="accept")
        for reserve in (b, c):
            services.nomination_decide(by=users["director"], nomination=reserve, decision="waitlist")
        services.nomination_withdraw(by=users["focal"], nomination=a)
        assert [status_of(n) for n in (b, c)] == ["accepted", "waitlisted"]
        training_services.offering_update(by=users["director"], offering=offering, capacity=6)
        assert status_of(c) == "waitlisted"

    def test_more_capacity_promotes(self, users):
        offering = offering_with(users["director"], capacity=1, admission="first_come")
        _a, w = [services.nomination_submit(by=users["focal"], offering=offering, person=p) for p in kwt(2)]
        training_services.offering_update(by=users["director"], offering=offering, capacity=2)
        assert status_of(w) == "accepted" and seats(offering) == 2

    def test_quota_cannot_go_below_accepted(self, users):
        offering = offering_with(users["director"], capacity=5, quotas={"KWT": 2}, admission="first_come")
        for person in kwt(2):
            services.nomination_submit(by=users["focal"], offering=offering, person=person)
        with pytest.raises(ValidationError) as refused:
            training_services.offering_update(by=users["director"], offering=offering, quotas={nation("KWT"): 1})
        assert "quotas" in refused.value.message_dict
        assert Quota.objects.get(offering=offering).seats == 2

    def test_focal_point_withdraws_only_own_nations(self, users):
        offering = offering_with(users["director"])
        nomination = services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0])
        with pytest.raises(NotAllowed):
            services.nomination_withdraw(by=users["focal_other"], nomination=nomination)
        services.nomination_withdraw(by=users["focal"], nomination=nomination)
        with pytest.raises(DomainError):
            services.nomination_withdraw(by=users["focal"], nomination=nomination)


@pytest.mark.django_db
class TestNotifications:
    def test_person_and_focal_points_hear_in_their_language(self, users, django_capture_on_commit_callbacks):
        users["focal"].language = "ar"
        users["focal"].save()
        offering = offering_with(users["director"], admission="first_come")
        (person,) = kwt(language="en", email="salem@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            services.nomination_submit(by=users["focal"], offering=offering, person=person)
        by_address = {m.to[0]: m for m in mail.outbox}
        assert set(by_address) == {"salem@example.org", users["focal"].email}
        assert by_address["salem@example.org"].subject.startswith("Accepted:")
        assert "قبول" in by_address[users["focal"].email].subject or "مقبول" in by_address[users["focal"].email].subject
        assert offering.code in by_address["salem@example.org"].body

    def test_nothing_is_sent_before_commit(self, users, django_capture_on_commit_callbacks):
        offering = offering_with(users["director"], admission="first_come")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0])
        assert mail.outbox == [] and len(callbacks) == 1

    def test_promotion_and_cancellation_are_announced(self, users, django_capture_on_commit_callbacks):
        offering = offering_with(users["director"], capacity=1, admission="first_come")
        first, second = kwt(2)
        a = services.nomination_submit(by=users["focal"], offering=offering, person=first)
        services.nomination_submit(by=users["focal"], offering=offering, person=second)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.nomination_withdraw(by=users["focal"], nomination=a)
        assert any(second.email in m.to and "seat" in m.subject.lower() for m in mail.outbox)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            training_services.offering_transition(
                by=users["director"], offering=offering, to="cancelled", reason="Host nation"
            )
        assert any(second.email in m.to and m.subject.startswith("Cancelled") for m in mail.outbox)
        assert not any(first.email in m.to for m in mail.outbox)  # withdrawn: no longer concerned

    def test_a_database_queue_takes_the_emails_with_the_change_and_loses_them_with_it(self, users, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        offering = offering_with(users["director"], admission="first_come")
        services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0])
        assert DBTaskResult.objects.count() == 1
        with pytest.raises(RuntimeError), transaction.atomic():
            services.nomination_submit(by=users["focal"], offering=offering, person=kwt()[0])
            raise RuntimeError("the change is undone")
        assert DBTaskResult.objects.count() == 1
