import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.testing.factories import OfferingFactory, PersonFactory, nation
from nominations import services
from nominations.models import Nomination
from people.models import Person
from training.models import Offering, Quota, Status


def url(name, lang="en", *args):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.django_db
class TestNominatePages:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_focal_point_finds_a_person_by_another_spelling_and_nominates(self, as_user, users, lang):
        offering = OfferingFactory(code="CYB-9", director=users["director"])
        person = PersonFactory(nation=nation("KWT"), name_ar="يوسف الرشيدي", name_en="Yousef Al-Rashidi")
        client = as_user(users["focal"])
        page = client.get(url("nominations:create_for", lang, "CYB-9"))
        assert page.status_code == 200 and 'data-testid="person-search"' in page.content.decode()
        found = client.get(url("nominations:candidates", lang, "CYB-9"), {"name": "Yusuf Al Rashidi"})
        assert "Yousef Al-Rashidi" in found.content.decode()
        response = client.post(url("nominations:create_for", lang, "CYB-9"), {"person": person.pk})
        nomination = Nomination.objects.get()
        assert response.status_code == 302 and response["Location"] == url("nominations:detail", lang, nomination.pk)
        assert nomination.offering == offering and nomination.submitted_by == users["focal"]

    def test_candidates_never_show_another_nations_people(self, as_user, users):
        OfferingFactory(code="CYB-9")
        PersonFactory(nation=nation("BHR"), name_en="Yousef Al-Rashidi")
        found = as_user(users["focal"]).get(url("nominations:candidates", "en", "CYB-9"), {"name": "Yousef Al-Rashidi"})
        assert "Yousef" not in found.content.decode()

    def test_refusal_is_shown_and_nothing_changes(self, as_user, users):
        offering = OfferingFactory(code="CYB-9")
        person = PersonFactory(nation=nation("KWT"))
        services.nomination_submit(by=users["focal"], offering=offering, person=person)
        response = as_user(users["focal"]).post(url("nominations:create_for", "ar", "CYB-9"), {"person": person.pk})
        assert response.status_code == 200
        assert "مرشح بالفعل" in response.content.decode() or "مُرشَّح" in response.content.decode()
        assert Nomination.objects.count() == 1

    def test_another_nations_person_is_404(self, as_user, users):
        OfferingFactory(code="CYB-9")
        person = PersonFactory(nation=nation("BHR"))
        response = as_user(users["focal"]).post(url("nominations:create_for", "en", "CYB-9"), {"person": person.pk})
        assert response.status_code == 404 and not Nomination.objects.exists()

    @pytest.mark.parametrize("role", ["observer", "participant", "instructor"])
    def test_only_nominators_see_the_page(self, as_user, users, role):
        OfferingFactory(code="CYB-9")
        assert as_user(users[role]).get(url("nominations:create_for", "en", "CYB-9")).status_code == 403

    def test_new_person_on_the_way_to_nominating(self, as_user, users):
        OfferingFactory(code="CYB-9")
        client = as_user(users["focal"])
        response = client.post(
            url("people:create", "en"), {"name_en": "Hamad Al-Mutairi", "language": "ar", "offering": "CYB-9"}
        )
        person = users["focal"].nation.people.get()
        assert response["Location"] == url("nominations:create_for", "en", "CYB-9") + f"?person={person.pk}"


@pytest.mark.django_db
class TestRoster:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_director_decides_from_the_roster(self, as_user, users, lang):
        offering = OfferingFactory(code="MAR-2", director=users["director"], capacity=2)
        Quota.objects.create(offering=offering, nation=nation("KWT"), seats=2)
        nominations = [
            services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory()) for _ in range(3)
        ]
        client = as_user(users["director"])
        page = client.get(url("nominations:roster", lang, "MAR-2"))
        assert page.status_code == 200 and page.content.decode().count('data-testid="roster-row"') == 3
        response = client.post(
            url("nominations:decide", lang, nominations[0].pk),
            {"decision": "accept", "from": "roster"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "<html" not in response.content.decode()
        assert 'data-testid="seats">1 / 2' in response.content.decode()
        assert '<span class="badge text-bg-light border">KWT 1/2</span>' in response.content.decode()
        response = client.post(
            url("nominations:decide", lang, nominations[1].pk), {"decision": "decline", "from": "roster"}
        )
        assert response.status_code == 302
        nominations[1].refresh_from_db()
        assert nominations[1].status == "submitted"  # a decline needs a reason

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_roster_rows_show_waiting_places_and_the_decisions_each_state_allows(self, as_user, users, lang):
        offering = OfferingFactory(code="MAR-3", director=users["director"], capacity=5)
        people = [PersonFactory(name_en=f"Person {i}", name_ar=f"شخص {i}") for i in range(5)]
        made = [services.nomination_submit(by=users["focal"], offering=offering, person=p) for p in people]
        for nomination, decision in zip(made, ["accept", "waitlist", "waitlist", "waitlist"], strict=False):
            services.nomination_decide(by=users["director"], nomination=nomination, decision=decision)
        client = as_user(users["director"])
        html = client.get(url("nominations:roster", lang, "MAR-3")).content.decode()
        rows = html.split('data-testid="roster-row"')[1:]
        assert len(rows) == 5
        name = "شخص" if lang == "ar" else "Person"
        assert [f"{name} {i}" in row for i, row in enumerate(rows)] == [True] * 5
        assert "#1<" in rows[1] and "#2<" in rows[2] and "#3<" in rows[3] and "#" not in rows[4].split("</td>")[4]
        assert 'data-testid="accept"' not in rows[0] and 'data-testid="decline"' in rows[0]
        assert 'data-testid="waitlist"' not in rows[1] and 'data-testid="accept"' in rows[1]
        assert all(b in rows[4] for b in ('data-testid="accept"', 'data-testid="waitlist"', 'data-testid="decline"'))
        assert 'name="csrfmiddlewaretoken"' in rows[4] and url("nominations:decide", lang, made[4].pk) in rows[4]
        waiting = client.get(url("nominations:roster", lang, "MAR-3"), {"status": "waitlisted"}).content.decode()
        assert "#3<" in waiting and 'name="status" value="waitlisted"' in waiting
        assert (
            as_user(users["observer"])
            .get(url("nominations:roster", lang, "MAR-3"))
            .content.decode()
            .count('data-testid="decline"')
            == 0
        )

    def test_roster_pages_are_counted_from_its_counts_by_status(self, as_user, users):
        offering = OfferingFactory(code="MAR-4", director=users["director"], capacity=60)
        made = [
            services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory()) for _ in range(52)
        ]
        for nomination in made[:3]:
            services.nomination_decide(by=users["director"], nomination=nomination, decision="waitlist")
        client = as_user(users["director"])
        first = client.get(url("nominations:roster", "en", "MAR-4")).content.decode()
        assert "1–50 of 52" in first and first.count('data-testid="roster-row"') == 50
        second = client.get(url("nominations:roster", "en", "MAR-4"), {"page": 2}).content.decode()
        assert "51–52 of 52" in second and second.count('data-testid="roster-row"') == 2
        waiting = client.get(url("nominations:roster", "en", "MAR-4"), {"status": "waitlisted"}).content.decode()
        assert waiting.count('data-testid="roster-row"') == 3 and "of 3" not in waiting  # one page: no pager

    def test_roster_is_not_for_focal_points(self, as_user, users):
        OfferingFactory(code="MAR-2")
        assert as_user(users["focal"]).get(url("nominations:roster", "en", "MAR-2")).status_code == 404

    def test_roster_query_count_is_constant(self, as_user, users):
        offering = OfferingFactory(code="MAR-2", director=users["director"], capacity=50)
        client = as_user(users["director"])

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url("nominations:roster", "en", "MAR-2")).status_code == 200
            return len(queries)

        services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        count()  # reads the nations that the process then keeps (core.references)
        before = count()
        for _ in range(6):
            services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        assert count() == before


@pytest.mark.django_db
class TestLists:
    def test_nomination_list_query_count_is_constant(self, as_user, users):
        offering = OfferingFactory()
        client = as_user(users["focal"])

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url("nominations:list", "ar")).status_code == 200
            return len(queries)

        services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        before = count()
        for _ in range(6):
            services.nomination_submit(by=users["focal"], offering=OfferingFactory(), person=PersonFactory())
        assert count() == before

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_nomination_rows_in_the_readers_language_with_the_nation_for_staff_only(self, as_user, users, lang):
        offering = OfferingFactory(code="CYB-4", course__title_en="Cyber defence", course__title_ar="الدفاع السيبراني")
        person = PersonFactory(nation=nation("KWT"), name_en="Salem Al-Azmi", name_ar="سالم العازمي")
        nomination = services.nomination_submit(by=users["focal"], offering=offering, person=person)
        focal = as_user(users["focal"]).get(url("nominations:list", lang)).content.decode()
        staff = as_user(users["admin"]).get(url("nominations:list", lang)).content.decode()
        for html in (focal, staff):
            row = html.split('data-testid="nomination-row"')[1].split("</tr>")[0]
            assert ("سالم العازمي" if lang == "ar" else "Salem Al-Azmi") in row
            assert ("الدفاع السيبراني" if lang == "ar" else "Cyber defence") in row and "CYB-4" in row
            assert url("nominations:detail", lang, nomination.pk) in row and 'data-status="submitted"' in row
        assert "<td>KWT</td>" in staff and "<td>KWT</td>" not in focal

    def test_counts_from_the_maintained_totals_are_the_visible_nominations(self, as_user, users):
        fill = OfferingFactory(capacity=1, admission="first_come")
        decided = OfferingFactory(director=users["director"])
        for focal, code in ((users["focal"], "KWT"), (users["focal_other"], "BHR")):
            for offering in (fill, decided, OfferingFactory()):
                services.nomination_submit(by=focal, offering=offering, person=PersonFactory(nation=nation(code)))
        services.nomination_decide(by=users["director"], nomination=decided.nominations.first(), decision="waitlist")
        for who in ("focal", "focal_other", "admin", "observer"):
            client = as_user(users[who])
            for query in ({}, {"status": "submitted"}, {"status": "accepted"}, {"status": "waitlisted"}):
                page = client.get(url("nominations:list", "en"), query).context["page"]
                visible = Nomination.objects.visible_to(users[who]).filter(**query)
                assert page.paginator.count == visible.count(), (who, query)
                # The page's read is compiled once for each kind of reader and filter: each
                # reader's page is their own, in the list's order.
                newest = visible.order_by("-submitted_at", "-pk").values_list("pk", flat=True)
                assert [row["pk"] for row in page.object_list] == list(newest), (who, query)
            by_status = client.get(url("nominations:list", "en"), {"sort": "status"}).context["page"]
            in_order = Nomination.objects.visible_to(users[who]).order_by("status", "pk").values_list("pk", flat=True)
            assert [row["pk"] for row in by_status.object_list] == list(in_order)
            assert Nomination.objects.visible_to(users[who]).filter(status="waitlisted").exists()
        staff = as_user(users["admin"]).get(url("nominations:list", "en"), {"nation": "BHR"}).context["page"]
        assert staff.paginator.count == Nomination.objects.filter(nation__code="BHR").count() == 3
        assert {row["pk"] for row in staff.object_list} == set(
            Nomination.objects.filter(nation__code="BHR").values_list("pk", flat=True)
        )
        # The session with its user, the total with the page's ids (on PostgreSQL, in one
        # statement), then the page's rows.
        client = as_user(users["focal"])
        client.get(url("nominations:list", "en"))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url("nominations:list", "en")).context["page"]
        assert len(queries) == (3 if connection.vendor == "postgresql" else 4)
        assert [row["pk"] for row in page.object_list] == list(
            Nomination.objects.visible_to(users["focal"]).order_by("-submitted_at", "-pk").values_list("pk", flat=True)
        )

    def test_people_list_query_count_is_constant(self, as_user, users):
        client = as_user(users["admin"])
        PersonFactory()

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url("people:list", "en")).status_code == 200
            return len(queries)

        count()  # the nations of the filter are read once, then kept (core.references)
        before = count()
        for code in ("BHR", "QAT", "ARE", "KWT"):
            PersonFactory(nation=nation(code))
        assert count() == before

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_people_rows_show_both_names_rank_organisation_and_nation(self, as_user, users, lang):
        person = PersonFactory(
            nation=nation("KWT"), name_ar="محمد العنزي", name_en="Mohammed Al-Enezi", rank="Colonel", organization="MoD"
        )
        html = as_user(users["admin"]).get(url("people:list", lang), {"q": "Enezi"}).content.decode()
        row = html.split('data-testid="person-row"')[1].split("</tr>")[0]
        assert "محمد العنزي" in row and "Mohammed Al-Enezi" in row and "Colonel" in row and "MoD" in row
        assert ("الكويت" if lang == "ar" else "Kuwait") in row and url("people:detail", lang, person.pk) in row

    def test_people_search_in_either_script(self, as_user, users):
        PersonFactory(nation=nation("KWT"), name_ar="محمد العنزي", name_en="Mohammed Al-Enezi")
        PersonFactory(nation=nation("KWT"), name_ar="سالم العازمي", name_en="Salem Al-Azmi")
        client = as_user(users["focal"])
        for query in ("Mohamed", "محمد", "enezi", "العنزى"):
            html = client.get(url("people:list", "en"), {"q": query}).content.decode()
            assert "Mohammed Al-Enezi" in html and "Salem" not in html, query


@pytest.mark.django_db
class TestDashboards:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_focal_point_sees_open_offerings_quota_and_counts(self, as_user, users, lang):
        offering = OfferingFactory(code="ENE-3", capacity=10, admission="first_come")
        Quota.objects.create(offering=offering, nation=nation("KWT"), seats=3)
        services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        html = as_user(users["focal"]).get(url("nominations:dashboard", lang)).content.decode()
        assert "ENE-3" in html and "1 / 3" in html and 'data-testid="totals"' in html
        # The nation's totals by state, from the maintained counts: first come, so accepted.
        totals = re.findall(r'class="fs-4">(\d+)</div>', html.split('data-testid="totals"')[1])
        assert totals == ["0", "1", "0", "0", "0", "0", "0", "0"]

    def test_director_sees_what_to_decide(self, as_user, users):
        mine = OfferingFactory(code="MINE-1", director=users["director"])
        OfferingFactory(code="THEIRS-1", director=users["director_other"])
        services.nomination_submit(by=users["focal"], offering=mine, person=PersonFactory())
        html = as_user(users["director"]).get(url("nominations:dashboard", "en")).content.decode()
        assert "MINE-1" in html and "THEIRS-1" not in html

    def test_administrator_sees_the_live_offerings_from_the_first_to_start_with_their_counts(self, as_user, users):
        today = timezone.localdate()
        OfferingFactory(
            code="LONG-1",
            status=Status.RUNNING,
            start_date=today - timedelta(days=500),
            end_date=today + timedelta(days=5),
        )
        OfferingFactory(code="DONE-1", status=Status.COMPLETED, start_date=today - timedelta(days=900))
        OfferingFactory(code="DRAFT-1", status=Status.DRAFT, start_date=today - timedelta(days=800))
        soon = OfferingFactory(code="SOON-1", director=users["director"], start_date=today + timedelta(days=30))
        later = OfferingFactory(code="LATER-1", start_date=today + timedelta(days=90))
        for _ in range(2):
            services.nomination_submit(by=users["focal"], offering=soon, person=PersonFactory())
        waiting = services.nomination_submit(by=users["focal"], offering=later, person=PersonFactory())
        services.nomination_decide(by=users["admin"], nomination=waiting, decision="waitlist")
        Offering.objects.filter(pk=later.pk).update(status=Status.CLOSED)

        def rows():
            with CaptureQueriesContext(connection) as queries:
                html = as_user(users["admin"]).get(url("nominations:dashboard", "en")).content.decode()
            found = re.findall(
                r'data-testid="run-offering".*?dir="ltr">([^<]+)</small>.*?<strong>(\d+)</strong></td>\s*<td>(\d+)</td>',
                html,
                re.S,
            )
            return found, len(queries)

        found, count = rows()
        assert found == [("LONG-1", "0", "0"), ("SOON-1", "2", "0"), ("LATER-1", "0", "1")]
        OfferingFactory.create_batch(3, start_date=today + timedelta(days=60))
        found, more = rows()
        assert len(found) == 6 and more == count


@pytest.mark.django_db
class TestChooseAnOffering:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_open_offerings_a_page_at_a_time_soonest_deadline_first_and_found_by_venue(self, as_user, users, lang):
        today = timezone.localdate()
        for n in range(30):
            start = today + timedelta(days=40 + n)
            venue = {"venue_en": "Doha Sheraton", "venue_ar": "شيراتون الدوحة"} if n == 7 else {}
            OfferingFactory(
                code=f"OPEN-{n:02d}", start_date=start, nomination_deadline=start - timedelta(days=21), **venue
            )
        OfferingFactory(code="SHUT-1", nomination_deadline=today - timedelta(days=1))
        client = as_user(users["focal"])
        first = client.get(url("nominations:create", lang))
        codes = [o.code for o in first.context["page"].object_list]
        assert codes == [f"OPEN-{n:02d}" for n in range(25)]
        assert ("1–25 of 30" if lang == "en" else "1–25 من 30") in first.content.decode()
        second = client.get(url("nominations:create", lang), {"page": 2})
        assert [o.code for o in second.context["page"].object_list] == [f"OPEN-{n:02d}" for n in range(25, 30)]
        found = client.get(url("nominations:create", lang), {"q": "شيراتون" if lang == "ar" else "sheraton"})
        assert [o.code for o in found.context["page"].object_list] == ["OPEN-07"]
        none = client.get(url("nominations:create", lang), {"q": "SHUT-1"}).content.decode()
        message = "لا توجد دورة مجدولة تطابق" if lang == "ar" else "No offering matches these filters."
        assert 'data-testid="no-results"' in none and message in none


@pytest.mark.django_db
def test_an_instructor_sees_the_rosters_they_teach_and_a_participant_their_own(as_user, users):
    taught, other = OfferingFactory(), OfferingFactory()
    taught.instructors.add(users["instructor"])
    on_roster = [PersonFactory(nation=nation("KWT")) for _ in range(2)]
    for person in on_roster:
        services.nomination_submit(by=users["focal"], offering=taught, person=person)
    elsewhere = PersonFactory(nation=nation("KWT"), user=users["participant"])
    services.nomination_submit(by=users["focal"], offering=other, person=elsewhere)
    # The participant's own record is on the taught roster too: each reader's list holds it once.
    services.nomination_submit(by=users["focal"], offering=taught, person=elsewhere)
    expected = {
        "instructor": (set(Nomination.objects.filter(offering=taught).values_list("pk", flat=True)),
                       {p.pk for p in on_roster} | {elsewhere.pk}),
        "participant": (set(Nomination.objects.filter(person=elsewhere).values_list("pk", flat=True)), {elsewhere.pk}),
    }  # fmt: skip
    for who, (nominations, people) in expected.items():
        client = as_user(users[who])
        page = client.get(url("nominations:list", "en")).context["page"]
        assert sorted(row["pk"] for row in page.object_list) == sorted(nominations), who
        assert page.paginator.count == len(nominations)
        listed = client.get("/api/v1/nominations/?page_size=500").json()
        assert sorted(n["id"] for n in listed["results"]) == sorted(nominations) and listed["count"] == len(nominations)
        assert set(Person.objects.visible_to(users[who]).values_list("pk", flat=True)) == people, who


@pytest.mark.django_db(transaction=True)
def test_a_nomination_list_page_read_with_its_rows_from_one_kept_plan_shows_what_reading_them_apart_shows(
    monkeypatch, as_user
):
    """On PostgreSQL, on a connection kept between requests, a nomination list filtered by status
    or nation alone, newest or oldest first, reads its count, its page's ids and their rows in one
    statement from one plan kept for any values (core.tables.IdFirstPaginator._read_with_rows):
    each page shows what reading them apart shows, and any other order is read as before."""
    from core.testing.factories import role_users
    from partners.models import Area, Nation

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps plans")
    # Made here when missing: a test run outside a transaction before this one empties the tables
    # that migrations fill.
    for code in ("KWT", "BHR"):
        Nation.objects.get_or_create(code=code, defaults={"name_en": code, "name_ar": code})
    Area.objects.get_or_create(code="t-area", defaults={"name_en": "Area", "name_ar": "مجال"})
    users = role_users()
    decided = OfferingFactory(director=users["director"])
    offerings = [decided, OfferingFactory(), OfferingFactory()]
    for n in range(28):
        person = PersonFactory(nation=nation("KWT"))
        services.nomination_submit(by=users["focal"], offering=offerings[n % 3], person=person)
    for _ in range(4):
        person = PersonFactory(nation=nation("BHR"))
        services.nomination_submit(by=users["focal_other"], offering=decided, person=person)
    for nomination in decided.nominations.order_by("pk")[:6]:
        services.nomination_decide(by=users["director"], nomination=nomination, decision="waitlist")
    cases = {
        "focal": [{}, {"page": 2}, {"page": 9}, {"status": "waitlisted"}, {"status": "submitted", "page": 2},
                  {"sort": "submitted", "page": 2}, {"sort": "status"}],
        "admin": [{}, {"nation": "BHR"}, {"nation": "KWT", "page": 2}, {"status": "waitlisted"}, {"sort": "-nation"}],
    }  # fmt: skip

    def pages():
        read = {}
        for who, queries in cases.items():
            client = as_user(users[who])
            for query in queries:
                with CaptureQueriesContext(connection) as queries_run:
                    page = client.get(url("nominations:list", "ar"), query).context["page"]
                key = (who, tuple(sorted(query.items())))
                read[key] = (page.number, page.paginator.count, list(page.object_list), len(queries_run))
        return read

    def kept():
        with connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'generic%%'")
            return cursor.fetchall()

    pages()  # each process reads the nations once, on a first page
    apart = pages()
    assert not kept()  # a connection closed after each request keeps nothing (DB_CONN_MAX_AGE 0)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    together, again = pages(), pages()
    assert kept() and all(generic >= 2 and custom == 0 for generic, custom in kept())
    # One statement for each reader's kind, filters and order, whatever the page or the values:
    # newest and oldest first, by status; everyone's, by nation, by status.
    assert len(kept()) == 6
    for key, (number, count, rows, queries_run) in apart.items():
        assert together[key][:3] == again[key][:3] == (number, count, rows), key
        # The page in one statement once prepared, where apart the count with the ids and then the
        # rows took two; any other order as before; past the last page, the last is read as well.
        past = key[1] in ((("page", 9),), (("page", 2), ("status", "submitted")))
        one = not past and key[1] not in ((("sort", "status"),), (("sort", "-nation"),))
        assert again[key][3] == queries_run - one and queries_run == 3 + past, key
    newest = Nomination.objects.filter(nation__code="KWT").order_by("-submitted_at", "-pk")
    assert [row["pk"] for row in apart["focal", (("page", 2),)][2]] == list(newest.values_list("pk", flat=True)[25:])
    assert apart["focal", (("page", 9),)][:2] == (2, 28) and apart["focal", (("page", 2), ("status", "submitted"))][
        :2
    ] == (1, 22)
    assert apart["focal", (("status", "waitlisted"),)][1] == 6 and apart["admin", (("nation", "BHR"),)][1] == 4
    first = apart["focal", ()][2][0]
    assert first["person__name_ar"] and first["offering__course__title_ar"] and first["submitted_at"].tzinfo
