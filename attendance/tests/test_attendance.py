from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from attendance import services
from attendance.models import Attendance
from core.errors import DomainError, NotAllowed
from core.testing.factories import OfferingFactory, PersonFactory
from nominations import services as nominations
from nominations.models import Nomination, NominationStatus
from training import services as training
from training.models import Status


def running_offering(users, days=5, threshold=80, people=3):
    """An offering that started days-1 days ago and ends today, with `people` accepted."""
    today = timezone.localdate()
    offering = OfferingFactory(
        director=users["director"],
        capacity=10,
        admission="first_come",
        start_date=today + timedelta(days=30),
        completion_threshold=threshold,
    )
    accepted = [
        nominations.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        for _ in range(people)
    ]
    start = today - timedelta(days=days - 1)
    type(offering).objects.filter(pk=offering.pk).update(
        start_date=start, end_date=today, nomination_deadline=start - timedelta(days=7), status=Status.RUNNING
    )
    offering.refresh_from_db()
    offering.instructors.add(users["instructor"])
    return offering, accepted


def mark(by, offering, nomination, days, status="present"):
    entries = [
        {"person": nomination.person_id, "date": offering.start_date + timedelta(days=d), "status": status}
        for d in days
    ]
    return services.attendance_record(by=by, offering=offering, entries=entries)


@pytest.mark.django_db
class TestTakingAttendance:
    def test_instructor_records_and_a_second_record_replaces_the_first(self, users):
        offering, (a, *_rest) = running_offering(users)
        mark(users["instructor"], offering, a, [0, 1])
        mark(users["instructor"], offering, a, [1], status="absent")
        assert dict(Attendance.objects.values_list("date", "status")) == {
            offering.start_date: "present",
            offering.start_date + timedelta(days=1): "absent",
        }

    def test_dates_outside_the_offering_are_refused_and_nothing_is_recorded(self, users):
        offering, (a, b, _c) = running_offering(users)
        entries = [
            {"person": a.person_id, "date": offering.start_date, "status": "present"},
            {"person": b.person_id, "date": offering.start_date - timedelta(days=1), "status": "present"},
            {"person": 999999, "date": offering.start_date, "status": "present"},
        ]
        with pytest.raises(ValidationError) as refused:
            services.attendance_record(by=users["director"], offering=offering, entries=entries)
        messages = refused.value.message_dict["entries"]
        assert messages[0].startswith("Entry 2:") and messages[1].startswith("Entry 3:")
        assert not Attendance.objects.exists()

    def test_only_director_instructors_and_admins(self, users):
        offering, (a, *_rest) = running_offering(users)
        for role in ("focal", "observer", "director_other", "participant"):
            with pytest.raises(NotAllowed):
                mark(users[role], offering, a, [0])

    def test_only_while_running(self, users):
        offering, (a, *_rest) = running_offering(users)
        type(offering).objects.filter(pk=offering.pk).update(status=Status.CLOSED)
        offering.refresh_from_db()
        with pytest.raises(DomainError):
            mark(users["director"], offering, a, [0])


@pytest.mark.django_db
class TestOutcomes:
    def test_completion_gives_each_participant_an_outcome(self, users):
        offering, (full, partial, absent) = running_offering(users, days=5, threshold=80)
        mark(users["director"], offering, full, [0, 1, 2, 3])  # 80%
        mark(users["director"], offering, partial, [0, 1, 2])  # 60%
        mark(users["director"], offering, absent, [0, 1], status="absent")
        training.offering_transition(by=users["director"], offering=offering, to="completed")
        statuses = {n.pk: n.status for n in Nomination.objects.all()}
        assert statuses == {full.pk: "completed", partial.pk: "incomplete", absent.pk: "no_show"}
        assert "4 of 5 days" in full.events.last().reason

    def test_threshold_is_per_offering(self, users):
        offering, (one, *_rest) = running_offering(users, days=4, threshold=50, people=1)
        mark(users["director"], offering, one, [0, 1])
        training.offering_transition(by=users["director"], offering=offering, to="completed")
        one.refresh_from_db()
        assert one.status == "completed"


def url(name, lang, *args):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.django_db
class TestGridAndApi:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_grid_and_one_click_per_cell(self, as_user, users, lang):
        offering, (a, *_rest) = running_offering(users)
        client = as_user(users["instructor"])
        page = client.get(url("attendance:grid", lang, offering.code))
        assert page.status_code == 200 and page.content.decode().count('data-testid="attendance-row"') == 3
        cell = client.post(
            url("attendance:mark", lang, offering.code),
            {"person": a.person_id, "date": offering.start_date.isoformat(), "current": ""},
            HTTP_HX_REQUEST="true",
        )
        assert cell.status_code == 200 and 'data-status="present"' in cell.content.decode()
        cell = client.post(
            url("attendance:mark", lang, offering.code),
            {"person": a.person_id, "date": offering.start_date.isoformat(), "current": "present"},
        )
        assert 'data-status="absent"' in cell.content.decode()
        assert Attendance.objects.get().status == "absent"

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_a_completed_offerings_grid_shows_what_was_recorded_and_each_outcome(self, as_user, users, lang):
        offering, (a, b, _c) = running_offering(users, days=4, threshold=50)
        mark(users["director"], offering, a, [0, 1, 2])
        mark(users["director"], offering, b, [0])
        training.offering_transition(by=users["director"], offering=offering, to="completed")
        page = as_user(users["director"]).get(url("attendance:grid", lang, offering.code)).content.decode()
        assert page.count('data-testid="attendance-row"') == 3 and page.count('data-status="present"') == 4
        assert "3/4" in page and "1/4" in page and "0/4" in page and "hx-post" not in page
        with translation.override(lang):
            outcomes = [str(NominationStatus(s).label) for s in ("completed", "incomplete", "no_show")]
        assert all(f'data-testid="outcome">{label}</span>' in page for label in outcomes)

    def test_grid_is_refused_to_focal_points_and_other_directors(self, as_user, users):
        offering, _ = running_offering(users)
        assert as_user(users["focal"]).get(url("attendance:grid", "en", offering.code)).status_code == 403
        assert as_user(users["director_other"]).get(url("attendance:grid", "en", offering.code)).status_code == 403

    def test_grid_query_count_is_constant(self, as_user, users):
        small, _ = running_offering(users, people=1)
        large, _ = running_offering(users, people=6)
        client = as_user(users["director"])

        def count(offering):
            with CaptureQueriesContext(connection) as queries:
                client.get(url("attendance:grid", "en", offering.code))
            return len(queries)

        count(small)  # reads the nations that the process then keeps (core.references)
        assert count(small) == count(large)

    def test_api_post_and_get(self, users):
        offering, (a, b, _c) = running_offering(users)
        client = APIClient()
        client.force_authenticate(users["instructor"])
        path = f"/api/v1/offerings/{offering.pk}/attendance/"
        body = [
            {"person": a.person_id, "date": offering.start_date.isoformat(), "status": "present"},
            {"person": b.person_id, "date": offering.start_date.isoformat(), "status": "excused"},
        ]
        response = client.post(path, body, format="json")
        assert response.status_code == 200 and len(response.json()) == 2
        bad = client.post(path, [{"person": a.person_id, "date": "2001-01-01", "status": "present"}], format="json")
        assert bad.status_code == 400 and "entries" in bad.json()
        focal = APIClient()
        focal.force_authenticate(users["focal"])
        assert focal.get(path).status_code == 403


@pytest.mark.django_db
def test_the_rows_count_follows_each_click(as_user, users):
    offering, (a, *_rest) = running_offering(users)
    client = as_user(users["director"])
    grid = client.get(url("attendance:grid", "en", offering.code)).content.decode()
    assert grid.count('data-testid="present-count"') == 3 and "hx-swap-oob" not in grid
    cell = client.post(
        url("attendance:mark", "en", offering.code),
        {"person": a.person_id, "date": offering.start_date.isoformat(), "current": ""},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'id="present-{a.person_id}"' in cell and "1/5" in cell and "hx-swap-oob" in cell
