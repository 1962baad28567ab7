"""Nominations in the browser: a focal point nominating one by one and from a spreadsheet, and
the director deciding. Each flow runs in English and in Arabic."""

import io
import re

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from core.demo import load_demo
from nominations.models import Nomination, NominationImport, NominationStatus
from people.models import Person
from tests.browser.conftest import log_in
from training.models import Offering, Quota, Status

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Stored Kuwaiti records of the demo, and how a focal point might type them instead.
RESPELT = [
    ("Yousef Al-Enezi", "Yusuf Al Anezi", "يوسف العنزى"),
    ("Majed Al-Kandari", "Majid Al Kandary", "ماجد الكندرى"),
    ("Salem Al-Azmi", "Salim Al-Azmy", "سالم العازمى"),
    ("Rashid Al-Mutairi", "Rashed Al Mutairy", "راشد المطيرى"),
    ("Fahad Al-Enezi", "Fahd Al Anzi", "فهد العنزى"),
    ("Noura Al-Sabah", "Nora Al Sabah", "نوره الصباح"),
]


def expect_dir(page, lang):
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")


def open_offering_for_nominations():
    """The first offering open for nominations that the director decides."""
    today = timezone.localdate()
    return (
        Offering.objects.filter(status=Status.OPEN, admission="decision", nomination_deadline__gte=today)
        .order_by("nomination_deadline", "code")
        .first()
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_focal_point_nominates_one_by_one_and_adds_a_new_person(page, shot, lang):
    load_demo()
    offering = open_offering_for_nominations()
    taken = set(Nomination.objects.filter(offering=offering).values_list("person__name_en", flat=True))
    stored, typed_latin, typed_arabic = next(r for r in RESPELT if r[0] not in taken)
    person = Person.objects.get(name_en=stored, nation__code="KWT")

    log_in(page, lang, "focal-kwt", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/dashboard/")
    expect_dir(page, lang)
    row = page.get_by_test_id("open-offering").filter(has_text=offering.code)
    expect(row).to_have_count(1)
    shot(f"nominate-dashboard-{lang}")
    row.get_by_test_id("nominate-link").click()
    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/{offering.code}/$"))
    expect_dir(page, lang)

    # Another spelling than the registry's still finds the record (htmx, as one types).
    page.get_by_test_id("person-search").press_sequentially(typed_arabic if lang == "ar" else typed_latin)
    candidate = page.get_by_test_id("candidate").filter(has_text=stored)
    expect(candidate).to_have_count(1)
    expect(candidate).to_contain_text(person.name_ar)
    shot(f"nominate-search-{lang}")
    candidate.get_by_test_id("nominate").click()

    # Back on the nominate page, the nomination is listed with its status.
    expect(page.locator(".alert-success")).to_be_visible()
    mine = (
        page.get_by_test_id("my-nominations").locator("li").filter(has_text=person.name_ar if lang == "ar" else stored)
    )
    expect(mine.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    nomination = Nomination.objects.get(offering=offering, person=person)
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.submitted_by.username == "focal-kwt"
    expect_dir(page, lang)
    shot(f"nominate-done-{lang}")

    # Searching again shows the person as already nominated.
    page.get_by_test_id("person-search").fill(typed_latin)
    expect(page.get_by_test_id("candidate").filter(has_text=stored).get_by_test_id("nominate")).to_have_count(0)

    # Someone not in the registry: the form warns of a possible duplicate while typing.
    page.get_by_test_id("new-person").click()
    expect(page).to_have_url(re.compile(f"/{lang}/people/new/"))
    expect_dir(page, lang)
    page.locator("#id_name_en").press_sequentially("Mohamad Al-Rasheedi")
    matches = page.get_by_test_id("matches")
    expect(matches).to_be_visible()
    expect(matches.get_by_test_id("match").filter(has_text="Mohammed Al-Rashidi")).to_have_count(1)
    shot(f"nominate-new-person-duplicate-{lang}")

    # It is another man after all: a name nobody has.
    page.fill("#id_name_en", "Talal Al-Fadhli")
    page.fill("#id_name_ar", "طلال الفضلي")
    expect(page.get_by_test_id("no-matches")).to_be_visible()
    expect(matches).to_have_count(0)
    page.fill("#id_rank", "Major")
    page.fill("#id_email", "talal.alfadhli@kwt.example")
    shot(f"nominate-new-person-form-{lang}")
    page.get_by_test_id("save-person").click()

    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/{offering.code}/\\?person=\\d+$"))
    new = Person.objects.get(email="talal.alfadhli@kwt.example")
    assert new.nation.code == "KWT" and new.name_ar == "طلال الفضلي"
    assert page.url.endswith(f"?person={new.pk}")
    expect_dir(page, lang)
    shot(f"nominate-new-person-confirm-{lang}")
    page.get_by_test_id("confirm-nominate").click()

    expect(page).to_have_url(re.compile(f"/{lang}/nominations/\\d+/$"))
    nomination = Nomination.objects.get(offering=offering, person=new)
    assert page.url.endswith(f"/nominations/{nomination.pk}/")
    expect(page.locator("h1 [data-status]")).to_have_attribute("data-status", nomination.status)
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(1)
    expect_dir(page, lang)
    shot(f"nominate-new-person-done-{lang}")


def _xlsx(headings, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_focal_point_nominates_from_a_spreadsheet(page, shot, lang):
    load_demo()
    offering = open_offering_for_nominations()
    taken = set(Nomination.objects.filter(offering=offering).values_list("person", flat=True))
    # A Kuwaiti on record, written with a father's name added: maybe the same man, maybe not.
    known = (
        Person.objects.filter(nation__code="KWT", user__username__startswith="p-kwt-")
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )
    first_en, family_en = known.name_en.split(" ", 1)
    first_ar, family_ar = known.name_ar.split(" ", 1)
    nominations_before = Nomination.objects.filter(offering=offering).count()
    people_before = Person.objects.count()

    log_in(page, lang, "focal-kwt", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/nominations/new/{offering.code}/")
    page.get_by_test_id("upload").click()
    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/{offering.code}/spreadsheet/$"))
    expect_dir(page, lang)
    shot(f"spreadsheet-upload-{lang}")

    with page.expect_download() as info:
        page.get_by_test_id("template-xlsx").click()
    download = info.value
    assert download.suggested_filename == f"shiraka-candidates-{lang}.xlsx"
    template = load_workbook(io.BytesIO(download.path().read_bytes())).active
    headings = [cell.value for cell in template[1]]
    assert headings[0] == ("الاسم بالعربية" if lang == "ar" else "Name in Arabic")
    assert len(headings) == 8  # a focal point's template has no nation column

    def row(name_ar, name_en, email):
        return [name_ar, name_en, "Major", "", "", email, "", "ar"]

    good = [
        row("طلال الفضلي", "Talal Al-Fadhli", "talal.alfadhli@kwt.example"),
        row("جاسم البناي", "Jassim Al-Banai", "jassim.albanai@kwt.example"),
        row(f"{first_ar} ناصر {family_ar}", f"{first_en} Nasser {family_en}", ""),
    ]
    bad = [list(r) for r in good]
    bad[1][5] = "jassim.albanai-at-kwt.example"
    page.get_by_test_id("file").set_input_files(
        files=[{"name": "candidates.xlsx", "mimeType": XLSX, "buffer": _xlsx(headings, bad)}]
    )
    page.get_by_test_id("check-file").click()
    errors = page.get_by_test_id("row-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("li")).to_have_count(1)
    expect(errors.locator("li")).to_contain_text("3")
    expect_dir(page, lang)
    shot(f"spreadsheet-bad-row-{lang}")
    assert NominationImport.objects.count() == 0
    assert Person.objects.count() == people_before
    assert Nomination.objects.filter(offering=offering).count() == nominations_before

    page.get_by_test_id("file").set_input_files(
        files=[{"name": "candidates.xlsx", "mimeType": XLSX, "buffer": _xlsx(headings, good)}]
    )
    page.get_by_test_id("check-file").click()
    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/{offering.code}/spreadsheet/\\d+/$"))
    rows = page.get_by_test_id("review-row")
    expect(rows).to_have_count(3)
    flagged = page.locator("[data-testid=review-row][data-flagged]")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text(known.name_en)
    expect(flagged.locator("input[type=radio]:checked")).to_have_count(0)
    expect(rows.nth(0).locator("input[value=new]")).to_be_checked()
    expect_dir(page, lang)
    shot(f"spreadsheet-review-{lang}")

    # The flagged row must be chosen before anything is nominated.
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("row-errors")).to_contain_text("4")
    assert Nomination.objects.filter(offering=offering).count() == nominations_before
    shot(f"spreadsheet-choose-{lang}")
    flagged.locator(f"input[value='{known.pk}']").check()
    page.get_by_test_id("confirm-import").click()

    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/{offering.code}/$"))
    expect(page.locator(".alert-success")).to_contain_text("3")
    expect_dir(page, lang)
    shot(f"spreadsheet-done-{lang}")
    assert Nomination.objects.filter(offering=offering).count() == nominations_before + 3
    assert Nomination.objects.filter(offering=offering, person=known, submitted_by__username="focal-kwt").exists()
    for email in ("talal.alfadhli@kwt.example", "jassim.albanai@kwt.example"):
        person = Person.objects.get(email=email)
        assert person.nation.code == "KWT"
        assert Nomination.objects.filter(offering=offering, person=person).exists()
    assert Person.objects.count() == people_before + 2
    assert NominationImport.objects.get().done_at is not None


def _decidable(offering):
    """Two submitted nominations of people with names unique on the roster, the first one's
    nation still having a seat in its quota; None if the offering has no such pair."""
    names = list(Nomination.objects.filter(offering=offering).values_list("person__name_en", flat=True))
    submitted = [
        n
        for n in Nomination.objects.filter(offering=offering, status=NominationStatus.SUBMITTED)
        .select_related("person")
        .order_by("submitted_at", "id")
        if names.count(n.person.name_en) == 1
    ]
    quotas = {q.nation_id: q for q in Quota.objects.filter(offering=offering)}

    def has_room(n):
        quota = quotas.get(n.nation_id)
        return quota is None or quota.seats_taken < quota.seats

    accept = next((n for n in submitted if has_room(n)), None)
    decline = next((n for n in submitted if accept and n.pk != accept.pk), None)
    return (accept, decline) if decline and offering.seats_taken < offering.capacity else None


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_director_accepts_and_declines(page, shot, lang):
    load_demo()
    today = timezone.localdate()
    offerings = Offering.objects.filter(
        status=Status.OPEN, admission="decision", director__username="director", nomination_deadline__gte=today
    ).order_by("nomination_deadline", "code")
    offering, (accept, decline) = next((o, pair) for o in offerings if (pair := _decidable(o)))
    taken = offering.seats_taken

    log_in(page, lang, "director", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/dashboard/")
    expect_dir(page, lang)
    shot(f"decide-dashboard-{lang}")
    page.get_by_test_id("run-offering").filter(has_text=offering.code).get_by_test_id("roster-link").click()
    expect(page).to_have_url(re.compile(f"/{lang}/manage/offerings/{offering.code}/nominations/$"))
    expect_dir(page, lang)
    seats = page.get_by_test_id("seats")
    expect(seats).to_have_text(f"{taken} / {offering.capacity}")
    shot(f"decide-roster-{lang}")
    page.evaluate("window.stillHere = true")

    def row_of(nomination):
        return page.locator(f'[data-testid=roster-row][data-person="{nomination.person.name_en}"]')

    # Accept: the roster is swapped in place and the seat count goes up.
    row_of(accept).get_by_test_id("accept").click()
    expect(seats).to_have_text(f"{taken + 1} / {offering.capacity}")
    expect(row_of(accept).locator("[data-status]")).to_have_attribute("data-status", "accepted")
    accept.refresh_from_db()
    assert accept.status == NominationStatus.ACCEPTED
    shot(f"decide-accepted-{lang}")

    # Declining needs a reason: without one, an error and no change.
    row_of(decline).get_by_test_id("decline").click()
    expect(page.locator("#roster .alert-danger")).to_be_visible()
    expect(row_of(decline).locator("[data-status]")).to_have_attribute("data-status", "submitted")
    decline.refresh_from_db()
    assert decline.status == NominationStatus.SUBMITTED
    shot(f"decide-decline-no-reason-{lang}")

    reason = "المنصب لا يناسب جمهور الدورة." if lang == "ar" else "Position outside the course's audience."
    row_of(decline).locator("input[name=reason]").fill(reason)
    row_of(decline).get_by_test_id("decline").click()
    expect(row_of(decline).locator("[data-status]")).to_have_attribute("data-status", "declined")
    expect(page.locator("#roster .alert-success")).to_be_visible()
    expect(seats).to_have_text(f"{taken + 1} / {offering.capacity}")
    decline.refresh_from_db()
    assert decline.status == NominationStatus.DECLINED
    assert page.evaluate("window.stillHere") is True  # every decision was swapped in, no reload
    shot(f"decide-declined-{lang}")

    # The nomination's page tells its story.
    row_of(decline).locator(f'a[href$="/nominations/{decline.pk}/"]').click()
    expect(page).to_have_url(re.compile(f"/{lang}/nominations/{decline.pk}/$"))
    expect_dir(page, lang)
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("li")).to_have_count(2)
    expect(timeline.locator("li").last).to_contain_text(reason)
    expect(page.locator("h1 [data-status]")).to_have_attribute("data-status", "declined")
    shot(f"decide-timeline-{lang}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_focal_point_finds_an_offering_to_nominate_to_by_its_code(page, shot, lang):
    load_demo()
    offering = open_offering_for_nominations()
    log_in(page, lang, "focal-kwt", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/dashboard/")
    page.locator(f"a[href='/{lang}/nominations/new/']").first.click()
    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/$"))
    expect_dir(page, lang)
    expect(page.get_by_test_id("open-offering").first).to_be_visible()
    page.fill("input[name=q]", offering.code)
    page.get_by_test_id("offering-search").click()
    found = page.get_by_test_id("open-offering")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(offering.code)
    shot(f"nominate-choose-{lang}")
    found.click()
    expect(page).to_have_url(re.compile(f"/{lang}/nominations/new/{offering.code}/$"))
