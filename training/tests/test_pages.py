from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.testing.factories import CourseFactory, OfferingFactory, nation
from core.testing.visibility import HiddenFromOutsiders
from partners.models import Area
from training.models import Offering, Quota, Status


def url(name, lang="en", *args, **query):
    with translation.override(lang):
        path = reverse(name, args=args)
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def programme(db):
    cyber = CourseFactory(
        code="CYB-1",
        title_en="Cyber Defence",
        title_ar="الدفاع السيبراني",
        area=Area.objects.get(code="cyber"),
        languages="ar,en",
    )
    sea = CourseFactory(
        code="MAR-1",
        title_en="Maritime Security",
        title_ar="الأمن البحري",
        area=Area.objects.get(code="maritime-security"),
        languages="en",
    )
    return {
        "open": OfferingFactory(
            course=cyber, code="CYB-1-A", status=Status.OPEN, venue_en="Kuwait", venue_ar="إسطنبول"
        ),
        "running": OfferingFactory(
            course=sea,
            code="MAR-1-A",
            status=Status.RUNNING,
            start_date=timezone.localdate().replace(day=1) + timedelta(days=400),
        ),
        "draft": OfferingFactory(course=sea, code="MAR-1-DRAFT", status=Status.DRAFT),
    }


def codes(response):
    return {o["code"] for o in response.context["page"].object_list}


@pytest.mark.django_db
class TestCatalogue:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_public_sees_published_offerings_in_both_languages(self, client, programme, lang):
        response = client.get(url("training:catalogue", lang))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        assert ("bootstrap.rtl.min.css" in html) == (lang == "ar")
        assert codes(response) == {"CYB-1-A", "MAR-1-A"}
        assert ("الدفاع السيبراني" in html) == (lang == "ar")
        assert ("Cyber Defence" in html) == (lang == "en")

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"q": "سيبراني"}, {"CYB-1-A"}),
            ({"q": "اسطنبول"}, {"CYB-1-A"}),
            ({"q": "MARITIME"}, {"MAR-1-A"}),
            ({"area": "maritime-security"}, {"MAR-1-A"}),
            ({"language": "ar"}, {"CYB-1-A"}),
            ({"status": "running"}, {"MAR-1-A"}),
            # Nothing found: an empty page, in the index's order and in another.
            ({"q": "submarine"}, set()),
            ({"q": "submarine", "sort": "code"}, set()),
            ({"q": "سيبراني", "status": "cancelled"}, set()),
        ],
    )
    def test_filters_and_search(self, client, programme, query, expected):
        assert codes(client.get(url("training:catalogue", "en", **query))) == expected

    def test_month_filter(self, client, programme):
        month = programme["running"].start_date.strftime("%Y-%m")
        assert codes(client.get(url("training:catalogue", "en", month=month))) == {"MAR-1-A"}

    def test_bad_month_shows_a_message_and_the_whole_list(self, client, programme):
        response = client.get(url("training:catalogue", "en", month="2026-13"))
        assert "Choose a month as YYYY-MM." in response.content.decode()
        assert codes(response) == {"CYB-1-A", "MAR-1-A"}

    def test_bad_month_message_in_arabic(self, client, programme):
        response = client.get(url("training:catalogue", "ar", month="banana"))
        assert "اختر شهرًا بالصيغة YYYY-MM." in response.content.decode()

    def test_htmx_request_gets_the_results_only(self, client, programme):
        response = client.get(url("training:catalogue", "en", q="cyber"), HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "<html" not in html and "CYB-1-A" in html

    def test_sorting_by_deadline_descending(self, client, programme):
        response = client.get(url("training:catalogue", "en", sort="-deadline"))
        ordered = [o["code"] for o in response.context["page"].object_list]
        assert ordered == ["MAR-1-A", "CYB-1-A"]

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_cards_show_area_status_venue_and_an_open_offerings_deadline_and_seats(self, client, programme, lang):
        Offering.objects.filter(pk=programme["open"].pk).update(seats_taken=23)
        html = client.get(url("training:catalogue", lang, sort="code")).content.decode()
        cyber, sea = html.split('data-testid="offering-card"')[1:3]
        assert ("الدفاع السيبراني" if lang == "ar" else "Cyber Defence") in cyber
        assert ("إسطنبول" if lang == "ar" else "Kuwait") in cyber
        assert url("training:offering_detail", lang, "CYB-1-A") in cyber and 'data-status="open"' in cyber
        assert Area.objects.get(code="cyber").name_ar in cyber if lang == "ar" else "Cyber" in cyber
        assert ("مقعد" if lang == "ar" else "1 seat left") in cyber
        assert ("الترشيح حتى" if lang == "ar" else "Nominations by") in cyber
        assert 'data-status="running"' in sea and "seat" not in sea and "Nominations by" not in sea

    @pytest.mark.parametrize("query", [{}, {"language": "en"}])
    def test_coming_offerings_start_with_one_under_way_since_long_ago(self, client, as_user, users, programme, query):
        today = timezone.localdate()
        course = programme["running"].course
        OfferingFactory(course=course, code="LONG-1", status=Status.RUNNING, start_date=today - timedelta(days=700),
                        end_date=today + timedelta(days=3))  # fmt: skip
        OfferingFactory(course=course, code="OVER-1", status=Status.COMPLETED, start_date=today - timedelta(days=30),
                        end_date=today - timedelta(days=1))  # fmt: skip
        listed = client.get(url("training:catalogue", "en", **query)).context["page"].object_list
        assert [o["code"] for o in listed][:1] == ["LONG-1"] and "OVER-1" not in [o["code"] for o in listed]
        managed = as_user(users["admin"]).get(url("training:offering_manage", "en", **query)).context["page"]
        assert [o.code for o in managed.object_list] == [
            o.code
            for o in Offering.objects.filter(
                end_date__gte=today, course__languages__contains=query.get("language", "")
            ).order_by("start_date", "pk")
        ]

    def test_query_count_does_not_grow_with_offerings(self, client, programme):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url("training:catalogue", "en")).status_code == 200
            return len(queries)

        count()  # the areas of the filter are read once, then kept (core.references)
        before = count()
        for _ in range(8):
            OfferingFactory(status=Status.OPEN)
        assert count() == before

    @pytest.mark.parametrize("walked", [True, False])
    @pytest.mark.parametrize(("few", "size", "page"), [(300, 2, 1), (300, 2, 2), (300, 2, 3), (2, 1, 1), (2, 1, 2)])
    def test_a_search_shows_its_page_in_date_order_read_with_its_matches(
        self, client, monkeypatch, few, size, page, walked
    ):
        """On PostgreSQL a catalogue search reads the page it shows with its matches (few
        matches: sorted from their ids; more than `few`: walking the dates), then that page's
        rows; a deeper page (not `walked`) is read otherwise, the same. A search counts up to
        `few` (core.tables.SEARCH_COUNT_CAP)."""
        from core import search, tables
        from training import views

        monkeypatch.setattr(search, "FEW_MATCHES", few)
        monkeypatch.setattr(search, "WALKED_ROWS", 100 if walked else 0)
        monkeypatch.setattr(tables, "SEARCH_COUNT_CAP", few)
        monkeypatch.setattr(views, "CATALOGUE_PAGE", size)
        course = CourseFactory(title_en="Maritime Security", title_ar="الأمن البحري")
        made = [OfferingFactory(course=course, status=Status.OPEN) for _ in range(5)]
        OfferingFactory(course=course, status=Status.DRAFT)
        OfferingFactory(course=CourseFactory(title_en="Cyber Defence"), status=Status.OPEN)
        expected = [o.code for o in sorted(made, key=lambda o: (o.start_date, o.pk), reverse=True)]
        client.get(url("training:catalogue", "ar", q="الامن"))  # the filter's areas are read once, then kept
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("training:catalogue", "ar", q="الامن", page=page))
        shown = [o["code"] for o in response.context["page"].object_list]
        assert shown == expected[(page - 1) * size : page * size]
        if connection.vendor == "postgresql" and walked:
            assert len(queries) == 2

    @pytest.mark.parametrize("sort", ["start", "-start"])
    def test_a_search_leaves_drafts_out_follows_their_publishing_and_reads_the_index_alone(self, client, users, sort):
        """On SQLite the index marks drafts: a catalogue search that no other filter narrows
        reads its matches from the index alone, without testing each match's row
        (core.search.shown_head). Publishing a draft, or a status set on its own, moves an
        offering in or out of what the search finds; a narrowed search finds the same."""
        from training import services

        course = CourseFactory(title_en="Maritime Security", title_ar="الأمن البحري")
        day = timezone.localdate() + timedelta(days=40)
        made = [OfferingFactory(course=course, start_date=day + timedelta(days=i)) for i in range(3)]
        draft = OfferingFactory(course=course, status=Status.DRAFT, start_date=day + timedelta(days=1))
        OfferingFactory(course=CourseFactory(title_en="Cyber Defence"))

        def found(**query):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url("training:catalogue", "ar", q="الامن", sort=sort, **query))
            codes = [o["code"] for o in response.context["page"].object_list]
            assert response.context["page"].paginator.count == len(codes)
            searches = [q["sql"] for q in queries if "training_offering_fts" in q["sql"]]
            if connection.vendor == "sqlite" and not query:
                assert len(searches) == 1 and '"training_offering" ,' not in searches[0], searches
            return codes

        def in_order(offerings):
            ordered = sorted(offerings, key=lambda o: (o.start_date, o.pk), reverse=sort == "-start")
            return [o.code for o in ordered]

        assert found() == in_order(made)
        assert found(area=course.area.code) == in_order(made)
        services.offering_transition(by=users["admin"], offering=draft, to=Status.OPEN)
        assert found() == in_order([*made, draft])
        Offering.objects.filter(pk=made[0].pk).update(status=Status.DRAFT)
        assert found() == in_order([*made[1:], draft]) == found(area=course.area.code)
        Offering.objects.filter(pk=made[1].pk).update(status=Status.CANCELLED)  # cancelled ones are shown
        assert found() == in_order([*made[1:], draft])

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_offering_page_shows_dates_seats_and_deadline(self, client, programme, lang):
        offering = programme["open"]
        Offering.objects.filter(pk=offering.pk).update(seats_taken=4)
        response = client.get(url("training:offering_detail", lang, offering.code))
        html = response.content.decode()
        assert 'data-testid="seats-left">20<' in html
        if lang == "ar":
            assert "/" in html and (
                "تموز" in html
                or "كانون" in html
                or "آذار" in html
                or "نيسان" in html
                or "أيار" in html
                or "حزيران" in html
                or "آب" in html
                or "أيلول" in html
                or "تشرين" in html
                or "شباط" in html
            )

    def test_course_page(self, client, programme):
        response = client.get(url("training:course_detail", "en", "CYB-1"))
        assert response.status_code == 200 and "CYB-1-A" in response.content.decode()


class TestDraftOfferingIsHidden(HiddenFromOutsiders):
    """A draft is seen by administrators and by its own director, by nobody else."""

    def make_object(self, users):
        return OfferingFactory(code="DRAFT-OFF", status=Status.DRAFT, director=users["director"])

    def insider(self, users):
        return users["director"]

    def outsider(self, users):
        return users["focal"]

    def detail_urls(self, obj):
        return [url("training:offering_detail", translation.get_language(), obj.code), f"/api/v1/offerings/{obj.pk}/"]

    def list_urls(self):
        return ["/api/v1/offerings/?page_size=500"]

    def marker(self, obj):
        return obj.code


class TestDraftHiddenFromOtherDirector(TestDraftOfferingIsHidden):
    def outsider(self, users):
        return users["director_other"]


class TestDraftSeenByItsInstructor(TestDraftOfferingIsHidden):
    """Its instructors see a draft too; another offering's instructor does not."""

    def make_object(self, users):
        offering = super().make_object(users)
        offering.instructors.set([users["instructor"]])
        OfferingFactory(code="DRAFT-OTHER", status=Status.DRAFT).instructors.set([users["focal"]])
        return offering

    def insider(self, users):
        return users["instructor"]


class TestInactiveCourseIsHidden(HiddenFromOutsiders):
    def make_object(self, users):
        return CourseFactory(code="OLD-1", active=False)

    def insider(self, users):
        return users["admin"]

    def outsider(self, users):
        return users["focal_other"]

    def detail_urls(self, obj):
        return [url("training:course_detail", translation.get_language(), obj.code), f"/api/v1/courses/{obj.pk}/"]

    def list_urls(self):
        return ["/api/v1/courses/?page_size=500"]

    def marker(self, obj):
        return obj.code


@pytest.mark.django_db
class TestCalendar:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_feed_lists_published_offerings(self, client, programme, lang):
        response = client.get(f"/{lang}/calendar.ics")
        assert response["Content-Type"].startswith("text/calendar")
        body = response.content.decode()
        assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
        assert body.count("BEGIN:VEVENT") == 2
        assert "MAR-1-DRAFT" not in body
        start = programme["open"].start_date
        assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in body
        assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
        assert ("الدفاع" in body.replace("\r\n ", "")) == (lang == "ar")

    def test_feed_goes_back_a_year_and_keeps_the_cancelled(self, client, programme):
        today = timezone.localdate()
        for code, ended, status in (("LAST-YEAR", 330, Status.COMPLETED), ("CALLED-OFF", 200, Status.CANCELLED),
                                    ("LONG-AGO", 400, Status.COMPLETED)):  # fmt: skip
            end = today - timedelta(days=ended)
            OfferingFactory(code=code, status=status, start_date=end - timedelta(days=4), end_date=end)
        body = client.get("/en/calendar.ics").content.decode().replace("\r\n ", "")
        assert body.count("BEGIN:VEVENT") == 4
        assert "LAST-YEAR" in body and "LONG-AGO" not in body
        [called_off] = [event for event in body.split("BEGIN:VEVENT") if "CALLED-OFF" in event]
        assert "STATUS:CANCELLED" in called_off and "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body


@pytest.mark.django_db
class TestStaffPages:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    @pytest.mark.parametrize(
        "name",
        ["training:offering_manage", "training:course_manage", "training:offering_create", "training:course_create"],
    )
    def test_staff_only(self, as_user, users, name, lang):
        for who in ("admin", "director"):
            assert as_user(users[who]).get(url(name, lang)).status_code == 200
        for who in ("focal", "instructor", "observer", "participant"):
            assert as_user(users[who]).get(url(name, lang)).status_code == 403
        assert as_user(None).get(url(name, lang)).status_code == 302

    def test_offering_manage_query_count_is_constant(self, as_user, users, programme):
        client = as_user(users["admin"])
        client.get(url("training:offering_manage"))  # the areas are read once, then kept
        with CaptureQueriesContext(connection) as first:
            client.get(url("training:offering_manage"))
        for _ in range(6):
            OfferingFactory(director=users["director"])
        with CaptureQueriesContext(connection) as second:
            client.get(url("training:offering_manage"))
        assert len(first) == len(second)

    def test_create_offering_through_the_form(self, as_user, users, programme):
        start = timezone.localdate() + timedelta(days=50)
        course = programme["open"].course
        response = as_user(users["director"]).post(
            url("training:offering_create"),
            {
                "course": course.pk,
                "code": "CYB-1-NEW",
                "start_date": start,
                "end_date": start + timedelta(days=3),
                "nomination_deadline": start - timedelta(days=10),
                "venue_en": "Kuwait",
                "venue_ar": "الكويت",
                "capacity": 20,
                "admission": "first_come",
                "completion_threshold": 80,
                "director": users["director"].pk,
                "quota-TOTAL_FORMS": 3,
                "quota-INITIAL_FORMS": 0,
                "quota-0-nation": "KWT",
                "quota-0-seats": 4,
                "quota-1-nation": "",
                "quota-1-seats": "",
                "quota-2-nation": "",
                "quota-2-seats": "",
            },
        )
        offering = Offering.objects.get(code="CYB-1-NEW")
        assert response.status_code == 302 and response["Location"].endswith("/CYB-1-NEW/")
        assert offering.status == Status.DRAFT
        assert Quota.objects.get(offering=offering).nation == nation("KWT")

    @pytest.mark.parametrize(
        ("lang", "message"),
        [
            ("en", "The nomination deadline must be on or before the start date."),
            ("ar", "يجب أن يكون الموعد النهائي للترشيح في تاريخ البدء أو قبله."),
        ],
    )
    def test_bad_form_shows_error_next_to_the_field_and_saves_nothing(self, as_user, users, programme, lang, message):
        start = timezone.localdate() + timedelta(days=50)
        response = as_user(users["director"]).post(
            url("training:offering_create", lang),
            {
                "course": programme["open"].course.pk,
                "code": "BAD-1",
                "start_date": start,
                "end_date": start,
                "nomination_deadline": start + timedelta(days=2),
                "venue_en": "K",
                "venue_ar": "ك",
                "capacity": 20,
                "admission": "decision",
                "completion_threshold": 80,
                "quota-TOTAL_FORMS": 1,
                "quota-INITIAL_FORMS": 0,
                "quota-0-nation": "KWT",
                "quota-0-seats": "",
            },
        )
        assert response.status_code == 200
        form = response.context["form"]
        html = response.content.decode()
        assert "nomination_deadline" in form.errors
        assert message in html
        assert not Offering.objects.filter(code="BAD-1").exists()
        quota_errors = response.context["quota_forms"].forms[0].errors
        assert "seats" in quota_errors

    def test_publish_then_cancel_from_the_offering_page(self, as_user, users, programme):
        offering = OfferingFactory(status=Status.DRAFT, director=users["director"], code="PUB-1")
        client = as_user(users["director"])
        page = client.get(url("training:offering_detail", "en", "PUB-1")).content.decode()
        assert 'data-testid="transition-open"' in page
        client.post(url("training:offering_transition", "en", "PUB-1"), {"to": "open"})
        offering.refresh_from_db()
        assert offering.status == Status.OPEN
        response = client.post(
            url("training:offering_transition", "en", "PUB-1"), {"to": "cancelled", "reason": ""}, follow=True
        )
        assert "Give the reason for cancelling." in response.content.decode()
        offering.refresh_from_db()
        assert offering.status == Status.OPEN

    def test_another_director_may_see_but_not_run_an_offering(self, as_user, users, programme):
        offering = OfferingFactory(status=Status.OPEN, director=users["director"], code="MINE-1")
        client = as_user(users["director_other"])
        page = client.get(url("training:offering_detail", "en", "MINE-1")).content.decode()
        assert "transition-closed" not in page
        assert client.get(url("training:offering_edit", "en", "MINE-1")).status_code == 403
        client.post(url("training:offering_transition", "en", "MINE-1"), {"to": "closed"})
        offering.refresh_from_db()
        assert offering.status == Status.OPEN
