"""Running a course in the browser: attendance, completion and certificates, verification and
revocation, and the participants' evaluation. Each flow runs in English and in Arabic."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Case, When
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import User
from attendance.models import Attendance
from attendance.services import attendance_record
from certificates.models import Certificate
from core.demo import load_demo
from evaluations.models import Respondent
from nominations import services as nominations
from nominations.models import Nomination, NominationStatus
from people.models import Person
from tests.browser.conftest import SCREENSHOTS, log_in
from training import services as training
from training.models import Course, Offering, Status

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def expect_dir(page, lang):
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")


def new_page(browser, live_server):
    """Another visitor, with cookies of their own."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def take(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("lang", "username"), [("en", "director"), ("ar", "instructor")])
def test_taking_attendance_saves_each_click(page, shot, lang, username):
    load_demo()
    director = User.objects.get(username="director")
    today = timezone.localdate()
    offering = Offering.objects.filter(status=Status.RUNNING, start_date__lte=today).order_by("code").first()
    if offering is None:  # the demo's running offering was one of those it cancels
        offering = _running_offering("RUN-NOW-1", today - timedelta(days=1), dict.fromkeys(_kuwaitis(4), 5))
    if offering.director_id != director.pk:
        training.offering_update(by=User.objects.get(username="admin"), offering=offering, director=director)
    if username == "instructor":
        training.offering_update(by=director, offering=offering, instructors=[User.objects.get(username=username)])

    log_in(page, lang, username, settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/catalogue/offerings/{offering.code}/")
    expect_dir(page, lang)
    shot(f"attendance-offering-{lang}")
    page.get_by_test_id("attendance").click()
    expect(page).to_have_url(re.compile(f"/{lang}/manage/offerings/{offering.code}/attendance/$"))
    expect_dir(page, lang)
    expect(page.get_by_test_id("attendance-grid")).to_be_visible()
    shot(f"attendance-grid-{lang}")

    # A cell marked present; cells are found again by position, as each click swaps the cell.
    rows = page.get_by_test_id("attendance-row")
    row_index, cell_index = page.evaluate(
        """() => {
          const rows = [...document.querySelectorAll('[data-testid=attendance-row]')];
          for (const [r, row] of rows.entries()) {
            const cells = [...row.querySelectorAll('[data-testid=cell]')];
            const c = cells.findIndex(cell => cell.dataset.status === 'present');
            if (c >= 0) return [r, c];
          }
          return null;
        }"""
    )
    cell = rows.nth(row_index).get_by_test_id("cell").nth(cell_index)
    values = json.loads(cell.get_attribute("hx-vals"))
    person, day = int(values["person"]), values["date"]
    record = Attendance.objects.filter(nomination__offering=offering, nomination__person_id=person, date=day)
    assert record.get().status == "present"

    url = page.url
    page.evaluate("window.stillHere = true")
    for status in ("absent", "excused", "present"):
        cell.click()
        expect(cell).to_have_attribute("data-status", status)
        assert record.get().status == status
        assert record.get().recorded_by.username == username
        if status == "absent":
            shot(f"attendance-absent-{lang}")
    assert page.url == url
    assert page.evaluate("window.stillHere") is True  # no reload: the cells were swapped in place

    # What was saved is what the grid shows when opened again.
    cell.click()
    expect(cell).to_have_attribute("data-status", "absent")
    page.reload()
    expect(rows.nth(row_index).get_by_test_id("cell").nth(cell_index)).to_have_attribute("data-status", "absent")
    assert record.get().status == "absent"


def _running_offering(code, start, presence):
    """A five-day offering run by the director since `start`, made through the services as it
    would have happened: `presence` maps Kuwaitis of the demo to the days they were present."""
    admin = User.objects.get(username="admin")
    director = User.objects.get(username="director")
    end = start + timedelta(days=4)
    deadline = start - timedelta(days=21)
    offering = training.offering_create(
        by=admin,
        course=Course.objects.filter(active=True).order_by("code").first(),
        code=code,
        start_date=start,
        end_date=end,
        nomination_deadline=deadline,
        venue_en="NATO-ICI Regional Centre, Kuwait",
        venue_ar="المركز الإقليمي، الكويت",
        capacity=12,
        admission="first_come",
        director=director,
        on=deadline - timedelta(days=60),
    )
    training.offering_transition(by=director, offering=offering, to=Status.OPEN, on=deadline - timedelta(days=40))
    for person in presence:
        nominations.nomination_submit(by=admin, offering=offering, person=person, on=deadline - timedelta(days=7))
    training.offering_transition(by=director, offering=offering, to=Status.CLOSED, on=deadline + timedelta(days=1))
    training.offering_transition(by=director, offering=offering, to=Status.RUNNING, on=start)
    today = timezone.localdate()
    entries = [
        {"person": person.pk, "date": start + timedelta(days=n), "status": "present" if n < present else "absent"}
        for person, present in presence.items()
        for n in range(5)
        if start + timedelta(days=n) <= today
    ]
    attendance_record(by=director, offering=offering, entries=entries)
    return Offering.objects.get(pk=offering.pk)


def _kuwaitis(n):
    return list(Person.objects.filter(nation__code="KWT", user__username__startswith="p-kwt-").order_by("pk")[:n])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_director_completes_an_offering_and_issues_certificates(page, shot, lang):
    load_demo()
    # It ran last week and is still running: its director has not closed it yet.
    people = _kuwaitis(4)
    presence = dict(zip(people, [5, 4, 2, 0], strict=True))  # completed, completed, incomplete, no-show
    offering = _running_offering("RUN-PAST-1", timezone.localdate() - timedelta(days=9), presence)
    assert offering.status == Status.RUNNING and offering.end_date < timezone.localdate()

    log_in(page, lang, "director", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/catalogue/offerings/{offering.code}/")
    expect_dir(page, lang)
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "running")
    shot(f"complete-offering-{lang}")
    page.get_by_test_id("transition-completed").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "completed")
    expect_dir(page, lang)
    shot(f"complete-completed-{lang}")
    assert Offering.objects.get(pk=offering.pk).status == Status.COMPLETED
    outcomes = dict(Nomination.objects.filter(offering=offering).values_list("person", "status"))
    assert outcomes == {
        people[0].pk: NominationStatus.COMPLETED,
        people[1].pk: NominationStatus.COMPLETED,
        people[2].pk: NominationStatus.INCOMPLETE,
        people[3].pk: NominationStatus.NO_SHOW,
    }

    page.get_by_test_id("certificates").click()
    expect(page).to_have_url(re.compile(f"/{lang}/manage/offerings/{offering.code}/certificates/$"))
    expect_dir(page, lang)
    rows = page.get_by_test_id("outcome-row")
    expect(rows).to_have_count(4)
    for status in ("completed", "incomplete", "no_show"):
        expected = sum(1 for s in outcomes.values() if s == status)
        expect(rows.locator(f"[data-status={status}]")).to_have_count(expected)
    expect(page.get_by_test_id("certificate-number")).to_have_count(0)
    shot(f"complete-outcomes-{lang}")

    page.get_by_test_id("issue-all").click()
    expect(page.locator(".alert-success")).to_be_visible()
    numbers = page.get_by_test_id("certificate-number")
    expect(numbers).to_have_count(2)
    expect_dir(page, lang)
    shot(f"complete-issued-{lang}")
    issued = Certificate.objects.filter(nomination__offering=offering)
    assert sorted(c.nomination.person_id for c in issued) == sorted([people[0].pk, people[1].pk])
    assert sorted(numbers.all_inner_texts()) == sorted(issued.values_list("number", flat=True))

    # Issuing again gives no second certificate.
    with page.expect_navigation():
        page.get_by_test_id("issue-all").click()
    expect(numbers).to_have_count(2)
    assert issued.count() == 2

    # The completed offering's grid still shows what was recorded, with each one's outcome.
    page.goto(f"/{lang}/manage/offerings/{offering.code}/attendance/")
    expect(page.get_by_test_id("attendance-row")).to_have_count(4)
    expect(page.get_by_test_id("outcome")).to_have_count(4)
    expect(page.get_by_test_id("cell")).to_have_count(0)  # no longer taken
    expect_dir(page, lang)
    shot(f"attendance-completed-{lang}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_focal_point_lists_their_nations_certificates_newest_first(page, shot, lang):
    load_demo()
    focal = User.objects.get(username="focal-kwt")
    mine = Certificate.objects.filter(nation=focal.nation).order_by("-issued_at", "-number")
    assert mine.exists() and Certificate.objects.exclude(nation=focal.nation).exists()
    log_in(page, lang, "focal-kwt", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/certificates/")
    expect_dir(page, lang)
    rows = page.get_by_test_id("certificate-row")
    expect(rows).to_have_count(min(mine.count(), 25))
    expect(rows.first.locator("td").first).to_have_text(mine[0].number)
    holder = mine[0].name_ar or mine[0].name_en if lang == "ar" else mine[0].name_en or mine[0].name_ar
    expect(rows.first.locator("td").nth(1)).to_contain_text(holder)
    shot(f"certificates-focal-{lang}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_participant_downloads_a_certificate_anyone_can_verify_and_the_director_revokes(
    page, shot, browser, live_server, lang
):
    load_demo()
    # One of the demo participant's certificates, preferably of an offering the director ran (the
    # administrator runs the others).
    certificate = (
        Certificate.objects.filter(nomination__person__user__username="participant")
        .order_by(Case(When(nomination__offering__director__username="director", then=0), default=1), "-issued_at")
        .select_related("nomination__offering__director")
        .first()
    )
    assert certificate is not None, "the demo participant has no certificate"
    runner = certificate.nomination.offering.director.username

    log_in(page, lang, "participant", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/catalogue/")
    page.get_by_test_id("nav-dashboard").click()
    expect(page).to_have_url(re.compile(f"/{lang}/dashboard/$"))
    expect_dir(page, lang)
    mine = page.get_by_test_id("my-certificate").filter(has_text=certificate.number)
    expect(mine).to_have_count(1)
    shot(f"certificate-my-page-{lang}")
    # The PDF is served inline, so Chromium shows it in its viewer: keep the bytes it received.
    received = []

    def keep(route):
        response = route.fetch()
        received.append((response.status, response.headers, response.body()))
        route.fulfill(response=response)

    page.route(re.compile(r"/certificates/[^/]+\.pdf$"), keep)
    with page.expect_response(re.compile(rf"/certificates/{certificate.number}\.pdf$")):
        mine.get_by_test_id("download").click()
    [(status, headers, body)] = received
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert f'filename="{certificate.number}.pdf"' in headers["content-disposition"]
    assert body.startswith(b"%PDF")
    page.unroute_all()

    # Anyone holding the QR code's address sees the certificate valid.
    public = new_page(browser, live_server)
    try:
        public.goto(f"/{lang}/verify/{certificate.code}/")
        expect_dir(public, lang)
        verification = public.get_by_test_id("verification")
        expect(verification).to_have_attribute("data-valid", "true")
        expect(verification).to_contain_text(certificate.number)
        expect(verification).to_contain_text(certificate.name_ar)
        take(public, f"certificate-verify-valid-{lang}")

        # The director revokes it from the offering's certificates page.
        director = new_page(browser, live_server)
        try:
            log_in(director, lang, runner, settings.DEMO_PASSWORD)
            director.goto(f"/{lang}/manage/offerings/{certificate.nomination.offering.code}/certificates/")
            expect_dir(director, lang)
            row = director.get_by_test_id("outcome-row").filter(has_text=certificate.number)
            row.get_by_test_id("revoke").click()  # no reason yet: the browser asks for one
            expect(row.locator("input[name=reason]:invalid")).to_have_count(1)
            assert Certificate.objects.get(pk=certificate.pk).revoked_at is None
            row.locator("input[name=reason]").fill("Issued in error." if lang == "en" else "صدرت خطأً.")
            row.get_by_test_id("revoke").click()
            expect(director.locator(".alert-success")).to_be_visible()
            expect(row.get_by_test_id("revoke")).to_have_count(0)
            expect_dir(director, lang)
            take(director, f"certificate-revoked-{lang}")
        finally:
            director.context.close()
        assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None

        public.reload()
        expect(verification).to_have_attribute("data-valid", "false")
        with translation.override(lang):
            expect(public.locator("h1")).to_have_text(gettext("This certificate has been revoked"))
        take(public, f"certificate-verify-revoked-{lang}")
    finally:
        public.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_participant_answers_an_evaluation(page, shot, lang):
    load_demo()
    log_in(page, lang, "participant", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/dashboard/")
    expect_dir(page, lang)
    waiting = page.get_by_test_id("evaluations-waiting").get_by_test_id("answer-evaluation")
    count = waiting.count()
    assert count > 0, "the demo participant has no evaluation to answer"
    shot(f"evaluation-my-page-{lang}")
    link = waiting.first
    pk = int(re.search(r"/evaluations/(\d+)/$", link.get_attribute("href"))[1])
    link.click()
    expect(page).to_have_url(re.compile(f"/{lang}/evaluations/{pk}/$"))
    expect_dir(page, lang)
    form = page.get_by_test_id("evaluation-form")
    expect(form).to_be_visible()
    shot(f"evaluation-form-{lang}")

    # Nothing chosen: every scale question asks for a value, nothing is recorded.
    page.get_by_test_id("send-evaluation").click()
    scales = form.locator("[role=radiogroup]")
    expect(form.locator(".invalid-feedback")).to_have_count(scales.count())
    assert not Respondent.objects.filter(nomination_id=pk).exists()
    shot(f"evaluation-errors-{lang}")

    # The scale's radio buttons look and work like buttons: click the labels.
    for i in range(scales.count()):
        scales.nth(i).locator("label.btn").nth(i % 2).click()
    expect(scales.first.locator("input:checked")).to_have_value("5")
    expect(scales.nth(1).locator("input:checked")).to_have_value("4")
    form.locator("textarea").first.fill("التمارين كانت مفيدة." if lang == "ar" else "The exercises were useful.")
    shot(f"evaluation-filled-{lang}")
    page.get_by_test_id("send-evaluation").click()

    expect(page).to_have_url(re.compile(f"/{lang}/dashboard/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect_dir(page, lang)
    expect(page.locator(f'[data-testid=answer-evaluation][href$="/evaluations/{pk}/"]')).to_have_count(0)
    expect(page.get_by_test_id("answer-evaluation")).to_have_count(count - 1)
    shot(f"evaluation-thanks-{lang}")
    assert Respondent.objects.filter(nomination_id=pk).exists()

    # Opening it again says it was answered.
    page.goto(f"/{lang}/evaluations/{pk}/")
    expect(page.get_by_test_id("evaluation-form")).to_have_count(0)
    expect(page.locator("h1")).to_be_visible()
    shot(f"evaluation-already-{lang}")
