"""Demo data: the reference data, the demo accounts and a year of the centre's programme.

Idempotent: what exists is left as it is. The programme is placed on the twelve months around
today (six behind, six ahead) so that a demo shows every state an offering goes through.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core import demo_activity as activity
from evaluations.defaults import ensure_default_template
from partners.models import Area, Nation
from partners.reference import load_reference_data
from training import services
from training.models import Course, Offering, Status

COURSES = Path(__file__).resolve().parent.parent / "training" / "data" / "demo_courses.json"

ACCOUNTS = [
    # username, role, nation, first name, last name, language
    ("admin", Role.ADMIN, None, "Fatima", "Al-Sabah", "en"),
    ("director", Role.DIRECTOR, None, "Khalid", "Al-Mutairi", "ar"),
    ("instructor", Role.INSTRUCTOR, None, "Elena", "Rossi", "en"),
    ("observer", Role.OBSERVER, None, "Jan", "de Vries", "en"),
    ("focal-kwt", Role.FOCAL_POINT, "KWT", "Abdullah", "Al-Enezi", "ar"),
    ("focal-bhr", Role.FOCAL_POINT, "BHR", "Maryam", "Al-Khalifa", "ar"),
    ("focal-qat", Role.FOCAL_POINT, "QAT", "Hamad", "Al-Thani", "ar"),
    ("focal-are", Role.FOCAL_POINT, "ARE", "Noura", "Al-Nuaimi", "en"),
    ("participant", Role.PARTICIPANT, "KWT", "Mohammed", "Al-Rashidi", "ar"),
]


def load_accounts(password):
    created = []
    for username, role, nation, first, last, language in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            language=language,
            email=f"{username}@example.org",
            nation=Nation.objects.get(code=nation) if nation else None,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        created.append(username)
    return created


def _sunday_on_or_after(day):
    return day + timedelta(days=(6 - day.weekday()) % 7)


def _plan(courses, today):
    """(course, offering spec, start) for each demo offering, on the months around today."""
    first_month = (today.replace(day=1) - timedelta(days=170)).replace(day=1)
    plans = []
    for index, course in enumerate(courses):
        for number, spec in enumerate(course["offerings"]):
            month_index = first_month.month - 1 + spec["month"] - 1
            year = first_month.year + month_index // 12
            start = _sunday_on_or_after(
                first_month.replace(year=year, month=month_index % 12 + 1, day=1 + (index * 3 + number * 9) % 20)
            )
            plans.append([course, spec, number, start, False])
    plans.sort(key=lambda plan: plan[3])
    # Whatever the day, one offering is running now and the next has just closed nominations;
    # both are pinned, so that neither is the one in nine that was cancelled.
    upcoming = [p for p in plans if p[3] >= today - timedelta(days=14) and p[0]["duration_days"] > 1]
    if len(upcoming) >= 2:
        upcoming[0][3:] = [today - timedelta(days=1), True]
        upcoming[1][3:] = [today + timedelta(days=10), True]
    return sorted(plans, key=lambda plan: plan[3])


def _target_state(start, end, deadline, today):
    if end < today:
        return Status.COMPLETED
    if start <= today:
        return Status.RUNNING
    if deadline < today:
        return Status.CLOSED
    return Status.OPEN


def _fate(position, start, end, deadline, today, pinned):
    """The state an offering of the demo has reached today, and whether it was cancelled."""
    target = _target_state(start, end, deadline, today)
    if target == Status.OPEN and position % 5 == 4:
        target = Status.DRAFT  # still being prepared
    return target, position % 9 == 7 and not pinned  # one in nine never ran


class Activity:
    """What happens to an offering at each step of its life, for the demo."""

    def __init__(self, people, admin, today):
        self.people, self.admin, self.today = people, admin, today
        self.submitted = {}

    def after(self, offering, state, runner):
        if state == Status.OPEN:
            self.submitted[offering.pk] = activity.nominate(offering, self.people, self.admin, self.today)
        elif state == Status.CLOSED and offering.admission == "decision":
            activity.decide(offering, self.submitted.get(offering.pk, []), runner, self.today)
        elif state == Status.RUNNING:
            activity.take_attendance(offering, runner, self.today)
        elif state == Status.COMPLETED:
            activity.certify_and_evaluate(offering, runner)


def _walk(offering, target, by, today, life):
    """Move an offering through its states to `target`, each on the date it would have happened,
    with what happens between them."""
    steps = {
        Status.OPEN: [(Status.OPEN, offering.nomination_deadline - timedelta(days=45))],
        Status.CLOSED: [
            (Status.OPEN, offering.nomination_deadline - timedelta(days=45)),
            (Status.CLOSED, offering.nomination_deadline + timedelta(days=1)),
        ],
    }
    steps[Status.RUNNING] = [*steps[Status.CLOSED], (Status.RUNNING, offering.start_date)]
    steps[Status.COMPLETED] = [*steps[Status.RUNNING], (Status.COMPLETED, offering.end_date)]
    for state, on in steps.get(target, []):
        offering = services.offering_transition(by=by, offering=offering, to=state, on=min(on, today))
        life.after(offering, state, by)
    if target == Status.OPEN and offering.admission == "decision":
        # Half the candidates are decided already; the rest wait for the director.
        half = life.submitted.get(offering.pk, [])[::2]
        activity.decide(offering, half, by, today)


def load_programme(today=None, people=None):
    today = today or timezone.localdate()
    director = User.objects.get(username="director")
    admin = User.objects.get(username="admin")
    instructor = User.objects.get(username="instructor")
    with open(COURSES, encoding="utf-8") as fh:
        data = json.load(fh)
    areas = {area.code: area for area in Area.objects.all()}
    nations = {nation.code: nation for nation in Nation.objects.all()}
    courses = {}
    for row in data:
        course = Course.objects.filter(code=row["code"]).first()
        if course is None:
            fields = {key: row[key] for key in services.COURSE_FIELDS - {"area", "active"} if key in row}
            course = services.course_create(by=admin, area=areas[row["area"]], **fields)
        courses[row["code"]] = course
    plans = _plan(data, today)
    life = Activity(people or {}, admin, today)
    created = 0
    for position, (row, spec, number, start, pinned) in enumerate(plans):
        course = courses[row["code"]]
        if Offering.objects.filter(course=course).count() >= len(row["offerings"]):
            continue
        end = start + timedelta(days=max(row["duration_days"], 1) - 1)
        deadline = start - timedelta(days=21)
        runner = director if position % 4 else admin
        offering = services.offering_create(
            by=admin,
            course=course,
            code=f"{course.code}-{start:%y%m}-{number + 1}",
            start_date=start,
            end_date=end,
            nomination_deadline=deadline,
            venue_en=spec["venue_en"],
            venue_ar=spec["venue_ar"],
            capacity=spec["capacity"],
            admission=spec["admission"],
            director=runner,
            instructors=[instructor] if position % 3 == 0 else [],
            joining_instructions_en=activity.JOINING_EN,
            joining_instructions_ar=activity.JOINING_AR,
            quotas={nations[code]: seats for code, seats in spec.get("quotas", {}).items()},
            on=min(deadline - timedelta(days=60), today),
        )
        target, cancelled = _fate(position, start, end, deadline, today, pinned)
        if cancelled:
            if target in (Status.RUNNING, Status.COMPLETED):
                _walk(offering, Status.OPEN, runner, today, life)
                cancelled_on = deadline - timedelta(days=10)
            else:
                _walk(offering, target, runner, today, life)
                cancelled_on = today
            services.offering_transition(
                by=runner,
                offering=offering,
                to=Status.CANCELLED,
                on=cancelled_on,
                reason="Postponed at the request of the host nation.",
            )
        else:
            _walk(offering, target, runner, today, life)
        created += 1
    return created


@transaction.atomic
def load_demo(password=None):
    load_reference_data()
    ensure_default_template()
    accounts = load_accounts(password or settings.DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    people = activity.load_people(admin)
    activity.give_accounts(people, admin)
    offerings = load_programme(people=people)
    return accounts, offerings
