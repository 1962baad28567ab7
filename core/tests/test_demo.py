import json
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from certificates.models import Certificate
from core import demo
from evaluations.models import Respondent
from nominations.models import Nomination
from people.models import Person
from training.models import Course, Offering, OfferingTransition, Status


@pytest.mark.django_db
def test_demo_loads_a_programme_in_every_state_and_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (
        User.objects.count(),
        Course.objects.count(),
        Offering.objects.count(),
        OfferingTransition.objects.count(),
        Person.objects.count(),
        Nomination.objects.count(),
        Certificate.objects.count(),
        Respondent.objects.count(),
    )
    assert Course.objects.count() >= 12
    assert Course.objects.values("area").distinct().count() >= 8
    assert Offering.objects.count() >= 20
    assert set(Offering.objects.values_list("status", flat=True)) == set(Status.values)
    assert {
        "admin",
        "director",
        "instructor",
        "observer",
        "focal-kwt",
        "focal-bhr",
        "focal-qat",
        "focal-are",
        "participant",
    } <= set(User.objects.values_list("username", flat=True))
    assert User.objects.get(username="focal-qat").nation.code == "QAT"
    assert User.objects.get(username="admin").check_password(settings.DEMO_PASSWORD)
    # A year of activity: every nomination state a focal point meets, outcomes, certificates, answers.
    states = set(Nomination.objects.values_list("status", flat=True))
    assert {"submitted", "accepted", "waitlisted", "declined", "completed", "incomplete"} <= states
    assert Certificate.objects.exists() and Respondent.objects.exists()
    participant = User.objects.get(username="participant")
    assert Nomination.objects.filter(person__user=participant, status="completed").exists()
    waiting = Nomination.objects.filter(person__user=participant, status="completed", respondent__isnull=True)
    assert waiting.filter(offering__questionnaire__isnull=False).exists()  # an evaluation to answer
    assert Nomination.objects.filter(person__user=participant, status="accepted").exists()  # a course to come
    call_command("load_demo")
    assert counts == (
        User.objects.count(),
        Course.objects.count(),
        Offering.objects.count(),
        OfferingTransition.objects.count(),
        Person.objects.count(),
        Nomination.objects.count(),
        Certificate.objects.count(),
        Respondent.objects.count(),
    )


@pytest.mark.django_db
def test_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()
    call_command("load_demo", "--force")
    assert User.objects.filter(username="admin").exists()


def test_the_demo_programme_has_every_state_whatever_the_day():
    """The demo is planned around the day it is loaded: on any day of two years it has an
    offering running, one closed, one open, drafts, cancellations and completed ones."""
    with open(demo.COURSES, encoding="utf-8") as fh:
        courses = json.load(fh)
    for days in range(0, 730, 3):
        today = date(2026, 1, 1) + timedelta(days=days)
        states = set()
        for position, (row, _spec, _number, start, pinned) in enumerate(demo._plan(courses, today)):
            end = start + timedelta(days=max(row["duration_days"], 1) - 1)
            target, cancelled = demo._fate(position, start, end, start - timedelta(days=21), today, pinned)
            states.add(Status.CANCELLED if cancelled else target)
        assert states == set(Status.values), today
