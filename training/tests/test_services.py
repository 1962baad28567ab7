from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import DomainError, NotAllowed
from core.testing.factories import CourseFactory, OfferingFactory, nation
from partners.models import Area
from training import services
from training.models import OfferingTransition, Status

TODAY = timezone.localdate


def new_offering(by, **overrides):
    start = TODAY() + timedelta(days=40)
    fields = dict(
        course=CourseFactory(),
        code="CYB-1",
        start_date=start,
        end_date=start + timedelta(days=4),
        nomination_deadline=start - timedelta(days=14),
        venue_en="Kuwait",
        venue_ar="الكويت",
        capacity=20,
        quotas={nation("KWT"): 5, nation("BHR"): 5},
    )
    fields.update(overrides)
    return services.offering_create(by=by, **fields)


@pytest.mark.django_db
class TestOfferingLifecycle:
    def test_created_as_draft_with_quotas_and_a_record(self, users):
        offering = new_offering(users["director"])
        assert offering.status == Status.DRAFT
        assert offering.director == users["director"]
        assert {q.nation.code: q.seats for q in offering.quotas.all()} == {"KWT": 5, "BHR": 5}
        assert offering.transitions.get().to_status == Status.DRAFT

    def test_full_lifecycle_records_who_and_when(self, users):
        director = users["director"]
        start = TODAY() - timedelta(days=10)
        offering = new_offering(
            director,
            start_date=start,
            end_date=start + timedelta(days=4),
            nomination_deadline=start - timedelta(days=14),
        )
        days_ago = lambda n: TODAY() - timedelta(days=n)  # noqa: E731
        for to, on in [
            ("open", days_ago(40)),
            ("closed", days_ago(20)),
            ("running", days_ago(10)),
            ("completed", days_ago(6)),
        ]:
            offering = services.offering_transition(by=director, offering=offering, to=to, on=on)
        assert offering.status == Status.COMPLETED
        history = list(
            OfferingTransition.objects.filter(offering=offering).values_list("from_status", "to_status", "by__username")
        )
        assert history[1:] == [
            ("draft", "open", "t-director"),
            ("open", "closed", "t-director"),
            ("closed", "running", "t-director"),
            ("running", "completed", "t-director"),
        ]

    @pytest.mark.parametrize(
        ("start", "to"),
        [
            ("draft", "running"),
            ("draft", "completed"),
            ("open", "completed"),
            ("completed", "cancelled"),
            ("cancelled", "open"),
            ("open", "draft"),
        ],
    )
    def test_forbidden_transitions_are_refused(self, users, start, to):
        offering = OfferingFactory(status=start, director=users["director"])
        with pytest.raises(DomainError):
            services.offering_transition(by=users["director"], offering=offering, to=to)
        offering.refresh_from_db()
        assert offering.status == start
        assert not offering.transitions.exists()

    def test_cannot_start_before_start_date_or_complete_before_last_day(self, users):
        offering = OfferingFactory(status=Status.CLOSED, director=users["director"])
        with pytest.raises(DomainError, match="start date"):
            services.offering_transition(by=users["director"], offering=offering, to="running")
        offering = OfferingFactory(
            status=Status.RUNNING, director=users["director"], start_date=TODAY(), end_date=TODAY() + timedelta(days=2)
        )
        with pytest.raises(DomainError, match="last day"):
            services.offering_transition(by=users["director"], offering=offering, to="completed")

    def test_cannot_open_after_the_deadline_or_for_an_inactive_course(self, users):
        offering = OfferingFactory(
            status=Status.DRAFT, director=users["director"], nomination_deadline=TODAY() - timedelta(days=1)
        )
        with pytest.raises(DomainError, match="deadline"):
            services.offering_transition(by=users["director"], offering=offering, to="open")
        offering = OfferingFactory(status=Status.DRAFT, director=users["director"], course=CourseFactory(active=False))
        with pytest.raises(DomainError, match="not active"):
            services.offering_transition(by=users["director"], offering=offering, to="open")

    def test_cancelling_needs_a_reason(self, users):
        offering = OfferingFactory(status=Status.OPEN, director=users["director"])
        with pytest.raises(ValidationError) as error:
            services.offering_transition(by=users["director"], offering=offering, to="cancelled")
        assert "reason" in error.value.message_dict
        services.offering_transition(by=users["director"], offering=offering, to="cancelled", reason="Host request")
        assert offering.transitions.get().reason == "Host request"

    def test_only_admin_or_its_director_may_run_an_offering(self, users):
        offering = OfferingFactory(status=Status.OPEN, director=users["director"])
        for who in ("director_other", "instructor", "focal", "observer"):
            with pytest.raises(NotAllowed):
                services.offering_transition(by=users[who], offering=offering, to="closed")
        services.offering_transition(by=users["admin"], offering=offering, to="closed")

    def test_no_transition_in_the_future(self, users):
        offering = OfferingFactory(status=Status.DRAFT, director=users["director"])
        with pytest.raises(ValidationError):
            services.offering_transition(
                by=users["director"], offering=offering, to="open", on=TODAY() + timedelta(days=1)
            )


@pytest.mark.django_db
class TestOfferingValidation:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"end_date": TODAY() + timedelta(days=1)}, "end_date"),
            ({"nomination_deadline": TODAY() + timedelta(days=90)}, "nomination_deadline"),
            ({"capacity": 0}, "capacity"),
            ({"completion_threshold": 0}, "completion_threshold"),
        ],
    )
    def test_bad_input_names_the_field_and_changes_nothing(self, users, overrides, field):
        with pytest.raises(ValidationError) as error:
            new_offering(users["director"], **overrides)
        assert field in error.value.message_dict
        from training.models import Offering

        assert not Offering.objects.exists()

    def test_quota_above_capacity_is_refused(self, users):
        with pytest.raises(ValidationError) as error:
            new_offering(users["director"], capacity=10, quotas={nation("KWT"): 11})
        assert "quotas" in error.value.message_dict

    def test_non_staff_cannot_create(self, users):
        for who in ("focal", "instructor", "observer", "participant"):
            with pytest.raises(NotAllowed):
                new_offering(users[who])

    def test_update_replaces_quotas(self, users):
        offering = new_offering(users["director"])
        services.offering_update(by=users["director"], offering=offering, quotas={nation("QAT"): 3})
        assert [(q.nation.code, q.seats) for q in offering.quotas.all()] == [("QAT", 3)]

    def test_finished_offerings_cannot_be_edited(self, users):
        offering = OfferingFactory(status=Status.CANCELLED, director=users["director"])
        with pytest.raises(DomainError):
            services.offering_update(by=users["director"], offering=offering, capacity=30)


@pytest.mark.django_db
class TestCourses:
    def test_course_rename_reindexes_its_offerings(self, users):
        offering = new_offering(users["admin"])
        services.course_update(by=users["admin"], course=offering.course, title_en="Maritime Awareness")
        from training.models import Offering

        assert list(Offering.objects.search("maritime")) == [offering]

    def test_languages_must_be_arabic_or_english(self, users):
        with pytest.raises(ValidationError) as error:
            services.course_create(
                by=users["admin"], code="X-1", title_en="X", title_ar="س", area=Area.objects.first(), languages=["fr"]
            )
        assert "languages" in error.value.message_dict
