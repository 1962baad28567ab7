import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from core.demo import load_demo
from tests.browser.conftest import log_in
from training.models import Offering, Status

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_public_catalogue_filter_search_and_offering(page, shot, lang):
    load_demo()
    page.goto(f"/{lang}/catalogue/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    cards = page.get_by_test_id("offering-card")
    expect(cards.first).to_be_visible()
    total = Offering.objects.published().filter(end_date__gte=timezone.localdate()).count()
    expect(page.get_by_test_id("result-count")).to_contain_text(str(total))
    shot(f"catalogue-{lang}")

    # Filtering swaps the results in place (htmx) and keeps the filter in the address.
    page.select_option("#id_status", "completed")
    expect(page).to_have_url(re.compile(r"status=completed"))
    completed = Offering.objects.filter(status=Status.COMPLETED).count()
    expect(page.get_by_test_id("result-count")).to_contain_text(str(completed))
    expect(page.locator("[data-testid=offering-card] [data-status]").first).to_have_attribute(
        "data-status", "completed"
    )

    # Arabic search written without hamzas finds "إدارة الأزمات" (crisis management).
    page.goto(f"/{lang}/catalogue/")
    page.fill("#id_q", "ادارة الازمات")
    expect(page).to_have_url(re.compile(r"q="))
    expect(cards.first).to_be_visible()
    crisis = Offering.objects.published().filter(course__title_ar__contains="إدارة الأزمات").count()
    assert crisis > 0
    expect(page.get_by_test_id("result-count")).to_contain_text(str(crisis))
    expect(cards.first).to_contain_text("الأزمات" if lang == "ar" else "Crisis")
    shot(f"catalogue-search-{lang}")

    page.fill("#id_q", "zzzz-nothing")
    expect(page.get_by_test_id("no-results")).to_be_visible()

    # An open offering's page: dates, seats left, deadline.
    offering = Offering.objects.filter(status=Status.OPEN).order_by("start_date").first()
    page.goto(f"/{lang}/catalogue/offerings/{offering.code}/")
    expect(page.get_by_test_id("seats-left")).to_have_text(str(offering.seats_left))
    expect(page.locator("h1")).to_have_text(offering.course.title_ar if lang == "ar" else offering.course.title_en)
    shot(f"offering-{lang}")

    # The language switch keeps the page.
    page.get_by_test_id("lang-switch").click()
    other = "en" if lang == "ar" else "ar"
    expect(page).to_have_url(re.compile(f"/{other}/catalogue/offerings/{offering.code}/"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_member_creates_and_publishes_an_offering(page, shot, lang):
    load_demo()
    log_in(page, lang, "director", settings.DEMO_PASSWORD)
    page.goto(f"/{lang}/manage/offerings/")
    shot(f"manage-offerings-{lang}")
    page.get_by_test_id("new-offering").click()
    start = timezone.localdate() + timedelta(days=45)
    code = f"BRW-{lang.upper()}-1"

    # First a mistake: the deadline after the start. The error shows by its field.
    page.select_option("#id_course", index=1)
    page.fill("#id_code", code)
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", (start + timedelta(days=4)).isoformat())
    page.fill("#id_nomination_deadline", (start + timedelta(days=1)).isoformat())
    page.fill("#id_venue_en", "NATO-ICI Regional Centre, Kuwait")
    page.fill("#id_venue_ar", "المركز الإقليمي، الكويت")
    page.fill("#id_capacity", "24")
    page.select_option("#id_quota-0-nation", "KWT")
    page.fill("#id_quota-0-seats", "6")
    page.get_by_test_id("save-offering").click()
    expect(page.locator("#id_nomination_deadline")).to_have_class(re.compile("is-invalid"))
    shot(f"offering-form-error-{lang}")
    assert not Offering.objects.filter(code=code).exists()

    page.fill("#id_nomination_deadline", (start - timedelta(days=14)).isoformat())
    page.get_by_test_id("save-offering").click()
    expect(page).to_have_url(re.compile(f"/{lang}/catalogue/offerings/{code}/"))
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "draft")
    page.get_by_test_id("transition-open").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "open")
    shot(f"offering-published-{lang}")
    assert Offering.objects.get(code=code).status == Status.OPEN

    # Now it is in the public catalogue.
    page.goto(f"/{lang}/catalogue/?q={code}")
    expect(page.get_by_test_id("offering-card")).to_have_count(1)
