import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.tables import BoundedPaginator
from core.testing.factories import CourseFactory, OfferingFactory
from training.models import Course, Offering, Status

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def courses(db):
    return {
        "istanbul": CourseFactory(title_en="The Istanbul Initiative", title_ar="مبادرة إسطنبول للتعاون"),
        "cyber": CourseFactory(title_en="Cyber Defence Fundamentals", title_ar="أساسيات الدفاع السيبراني"),
        "crisis": CourseFactory(title_en="Crisis Management", title_ar="إدارة الأزمات"),
    }


def found(query):
    return set(Course.objects.search(query).values_list("title_en", flat=True))


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("اسطنبول", "The Istanbul Initiative"),
        ("إسطنبول", "The Istanbul Initiative"),
        ("مبادره", "The Istanbul Initiative"),
        ("الدِّفَاع", "Cyber Defence Fundamentals"),
        ("دفاع سيبراني", "Cyber Defence Fundamentals"),
        ("ازمات", "Crisis Management"),
        ("CYBER", "Cyber Defence Fundamentals"),
        ("cyb", "Cyber Defence Fundamentals"),
        ("crisis manag", "Crisis Management"),
    ],
)
def test_search_finds_spelling_variants(courses, query, title):
    assert found(query) == {title}


def test_every_word_must_match(courses):
    assert found("cyber crisis") == set()


@pytest.mark.parametrize("few", [0, 1, 1000])
def test_many_and_few_matches_find_the_same(courses, monkeypatch, few):
    """PostgreSQL hands few matches to the list as ids and many as a subquery; both are exact."""
    from core import search

    CourseFactory(title_en="Cyber Range Exercise", title_ar="تمرين الميدان السيبراني")
    monkeypatch.setattr(search, "FEW_MATCHES", few)
    assert found("cyber") == {"Cyber Defence Fundamentals", "Cyber Range Exercise"}
    assert found("السيبراني") == {"Cyber Defence Fundamentals", "Cyber Range Exercise"}
    assert found("cyber range") == {"Cyber Range Exercise"}
    assert found("nothing") == set()


def test_quotes_percents_and_backslashes_are_text_not_syntax(courses):
    """PostgreSQL writes the search into the statement (core.search._pg_query)."""
    assert found("manag%") == {"Crisis Management"}
    assert found("crisis' OR 1=1 --") == set()
    assert found("\\cyber\\ 'fundamentals'") == {"Cyber Defence Fundamentals"}


def test_punctuation_only_query_leaves_the_list_alone(courses):
    assert Course.objects.search("\"'*()").count() == 3


def test_index_follows_updates_and_deletes(courses):
    course = courses["crisis"]
    course.title_en = "Resilience Planning"
    course.save()
    assert found("crisis") == set()
    assert found("resilience") == {"Resilience Planning"}
    course.delete()
    assert found("resilience") == set()


def test_index_survives_a_migration_that_rebuilds_the_table(tmp_path):
    """SQLite drops a table's triggers when a migration rebuilds it (adding a column does);
    migrating must leave search working. Run on a database of its own, since it migrates back."""
    script = (
        "from django.core.management import call_command\n"
        "from core.testing.factories import CourseFactory, OfferingFactory\n"
        "from training.models import Offering\n"
        "call_command('migrate', 'training', '0003', verbosity=0)\n"
        "call_command('migrate', verbosity=0)\n"
        "OfferingFactory(course=CourseFactory(title_en='Crisis Management'))\n"
        "print('found', Offering.objects.search('crisis').count())\n"
    )
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=environment, check=True)
    result = subprocess.run(
        [*manage, "shell", "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    assert "found 1" in result.stdout, result.stdout + result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("ordered", ["asc", "desc"])
def test_a_search_in_the_indexs_order_is_the_search_sorted_by_date_and_follows_moves(ordered):
    course = CourseFactory(title_en="Maritime Security")
    made = [OfferingFactory(course=course, status=Status.OPEN) for _ in range(5)]
    OfferingFactory(course=course, status=Status.DRAFT)
    OfferingFactory(course=CourseFactory(title_en="Cyber Defence"), status=Status.OPEN)
    made[1].start_date, made[1].end_date = made[2].start_date, made[2].end_date  # one day: then by id
    made[1].save()
    made[3].start_date += timedelta(days=400)  # moved: the index follows
    made[3].end_date += timedelta(days=400)
    made[3].save()
    published = Offering.objects.exclude(status=Status.DRAFT)
    sign = "-" if ordered == "desc" else ""
    expected = list(
        published.search("maritime").order_by(f"{sign}start_date", f"{sign}pk").values_list("pk", flat=True)
    )
    assert list(published.search("maritime", ordered=ordered).values_list("pk", flat=True)) == expected
    assert len(expected) == 5 and published.search("maritim", ordered=ordered).count() == 5
    assert list(published.search("maritime", ordered=ordered).values_list("pk", flat=True)[1:3]) == expected[1:3]
    made[4].delete()
    assert made[4].pk not in published.search("maritime", ordered=ordered).values_list("pk", flat=True)


@pytest.mark.django_db
def test_a_long_word_is_searched_by_its_first_letters():
    CourseFactory(title_en="Internationalisation of Standards")
    assert found("internationalisation") == {"Internationalisation of Standards"}
    assert found("internat") == {"Internationalisation of Standards"}


@pytest.mark.django_db
def test_a_list_read_in_index_order_counts_and_pages_as_any_list():
    course = CourseFactory(title_en="Energy Security")
    for _ in range(7):
        OfferingFactory(course=course, status=Status.OPEN)
    ordered = Offering.objects.search("energy", ordered="desc")
    expected = list(Offering.objects.search("energy").order_by("-start_date", "-pk").values_list("pk", flat=True))
    paginator = BoundedPaginator(ordered, 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)
    assert [o.pk for o in paginator.page(2).object_list] == expected[2:4]
    assert BoundedPaginator(ordered, 2, cap=50).count == 7


@pytest.mark.django_db
def test_prefixes_of_every_length_and_exact_terms_find_what_they_should():
    from core.search import match_groups

    course = CourseFactory(title_en="Naval Logistics", title_ar="اللوجستيات البحرية")
    assert found("n") == found("na") == found("naval") == {"Naval Logistics"}
    assert found("navy") == set()
    # An exact term (a name's spelling variant) is a whole word, never the start of one.
    assert not match_groups(Course.objects.all(), [[("nav", False)]]).exists()
    assert match_groups(Course.objects.all(), [[("naval", False)]]).exists()
    course.title_en = "Maritime Logistics"
    course.save()
    assert found("naval") == set() and found("maritim") == {"Maritime Logistics"}
    course.delete()
    assert found("maritime") == set()


@pytest.mark.django_db
@pytest.mark.parametrize("few", [1, 300])
def test_a_search_counts_its_list_and_a_condition_added_later_is_counted_again(
    django_assert_num_queries, monkeypatch, few
):
    from django.db import connection

    from core import search

    monkeypatch.setattr(search, "FEW_MATCHES", few)
    course = CourseFactory(title_en="Energy Security")
    for status in (Status.OPEN, Status.OPEN, Status.CLOSED, Status.DRAFT):
        OfferingFactory(course=course, status=status)
    listed = Offering.objects.published().search("energy").order_by("-start_date")
    # PostgreSQL counted the list when it searched the index; SQLite counts it now.
    with django_assert_num_queries(0 if connection.vendor == "postgresql" else 1):
        paginator = BoundedPaginator(listed, 2, cap=few)
        assert (paginator.count, paginator.capped) == (min(3, few), few < 3)
    assert BoundedPaginator(listed.filter(status=Status.CLOSED), 2).count == 1
    assert BoundedPaginator(listed.exclude(status=Status.CLOSED), 2).count == 2


@pytest.mark.django_db
@pytest.mark.parametrize("few", [2, 300])
def test_a_list_searched_in_id_order_pages_from_its_search_and_a_new_order_is_read_anew(
    django_assert_num_queries, monkeypatch, few
):
    from django.db import connection

    from core import search
    from core.testing.factories import PersonFactory
    from people.models import Person

    monkeypatch.setattr(search, "FEW_MATCHES", few)
    made = [PersonFactory(name_en=f"Salim Haddad {letter}") for letter in "CAB"]
    PersonFactory(name_en="Omar Nasser")
    listed = Person.objects.order_by("pk").search("haddad", ordered="asc")
    paginator = BoundedPaginator(listed, 2, cap=2)
    # PostgreSQL read the first ids in order when it searched; SQLite reads them now.
    with django_assert_num_queries(0 if connection.vendor == "postgresql" else 1):
        assert (paginator.count, paginator.capped) == (2, True)
        assert paginator.page_ids(0) == [made[0].pk, made[1].pk]
    by_name = BoundedPaginator(listed.order_by("name_en"), 2, cap=2)
    assert [row.name_en for row in by_name.page(1).object_list] == ["Salim Haddad A", "Salim Haddad B"]
    assert BoundedPaginator(listed.exclude(pk=made[0].pk), 2, cap=2).page_ids(0) == [made[1].pk, made[2].pk]


@pytest.mark.django_db
@pytest.mark.parametrize("walks", [True, False])
def test_a_list_in_id_order_finds_the_same_by_walking_or_reading_every_match(monkeypatch, walks):
    """PostgreSQL walks the table in id order for common words and reads every match from the
    index for rare ones; either way the list, its order and its pages are the same."""
    from core import search
    from core.testing.factories import PersonFactory
    from people.models import Person

    monkeypatch.setattr(search, "_walks", lambda *args: walks)
    monkeypatch.setattr(search, "FEW_MATCHES", 4)
    made = [PersonFactory(name_en=f"Salim Haddad {n}") for n in range(5)]
    PersonFactory(name_en="Omar Nasser")
    ids = [person.pk for person in made]
    listed = Person.objects.order_by("pk").search("hadd", ordered="asc")
    paginator = BoundedPaginator(listed, 2, cap=4)
    assert (paginator.count, paginator.capped, paginator.page_ids(2)) == (4, True, ids[2:4])
    assert list(listed.values_list("pk", flat=True)) == ids
    assert (
        list(Person.objects.order_by("-pk").search("haddad salim", ordered="desc").values_list("pk", flat=True))
        == (ids[::-1])
    )
    assert not Person.objects.order_by("pk").search("haddad omar", ordered="asc").exists()


def test_the_walk_is_chosen_for_common_words_and_the_index_for_rare_ones(monkeypatch):
    from core import search

    # 450,000 rows; "محمد" in a fifth of them, "احمد" in a twentieth, "سالم" in a hundredth.
    words, shares = ["احمد", "سالم", "محمد", "محمدي"], [0.05, 0.01, 0.18, 0.02]
    monkeypatch.setattr(search, "_common_words", lambda alias, fts: (450_000, words, shares))

    def walks(*groups):
        return search._walks("default", "people_person_fts", [list(group) for group in groups])

    assert walks([("محمد", True)])  # 90,000 matches: the first 301 are a few rows apart
    assert walks([("احمد", False)])  # 22,500
    assert not walks([("سالم", False)])  # 4,500: reading them all is cheaper
    assert not walks([("محمد", True)], [("سالم", True)])  # 900 together
    assert not walks([("زياد", True)])  # not among the common words: rarer than all of them
    assert walks([("سالم", False), ("احمد", False), ("محمد", False)])  # alternatives add up


def test_only_a_word_far_commoner_than_a_page_of_counts_is_surely_many(monkeypatch):
    from core import search

    # 450,000 rows: 3,010 are ten times FEW_MATCHES + 1.
    words, shares = ["0mhmd", "احمد", "سالم", "محمد", "محمدي"], [0.12, 0.05, 0.006, 0.11, 0.002]
    monkeypatch.setattr(search, "_common_words", lambda alias, fts: (450_000, words, shares))

    def surely(*groups):
        return search._surely_many("default", "people_person_fts", [list(group) for group in groups])

    assert surely([("محمد", True), ("0mhmd", False)]) and surely([("احمد", False)])
    assert not surely([("سالم", False)])  # 2,700: it may be fewer than 3,010
    assert not surely([("محمدي", False)]) and not surely([("زياد", True)])
    # Each common word alone counts, not their sum: words of one record are not apart.
    assert not surely([("سالم", False), ("محمدي", False)])
    assert not surely([("محمد", True)], [("احمد", True)])  # two words: their records may differ


@pytest.mark.django_db
@pytest.mark.parametrize("whole", [True, False])
def test_a_common_name_of_a_whole_list_is_counted_unread_and_paged_the_same(monkeypatch, whole):
    """A list of everyone searched for a word surely in many records says "more than" without
    reading its matches (core.search._surely_many); its pages are the ones read otherwise."""
    from core import search
    from core.testing.factories import PersonFactory
    from people.models import Person

    monkeypatch.setattr(search, "_surely_many", lambda alias, fts, groups: True)
    monkeypatch.setattr(search, "FEW_MATCHES", 4)
    ids = [PersonFactory(name_en=f"Salim Haddad {n}").pk for n in range(6)]
    PersonFactory(name_en="Omar Nasser")
    listed = Person.objects.current().order_by("pk").search("hadd", ordered="asc", whole=whole)
    paginator = BoundedPaginator(listed, 2, cap=4)
    assert (paginator.count, paginator.capped) == (4, True)
    assert [row.pk for row in paginator.page(2).object_list] == ids[2:4]
    if connection.vendor == "postgresql":  # SQLite reads a search in the list's order anyway
        assert (search.matches_head(listed) is None) == whole
    assert list(listed.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
@pytest.mark.parametrize(("own_matches", "estimated", "few"), [(0, 200, 300), (300, 200, 300), (300, 0, 1)])
def test_an_offering_is_found_by_its_code_its_venue_its_course_and_any_mix_of_them(
    monkeypatch, own_matches, estimated, few
):
    """PostgreSQL reads an offering's venue and course words from the documents it shares with
    other offerings, and its code from its own; each word of a query may match either, and a
    query whose words begin many codes reads the offerings' own index (own_matches 0). Many
    shared documents (past `estimated`) are written otherwise, and so are many matches (past
    `few`): each way finds the same."""
    from core import search

    monkeypatch.setattr(search, "OWN_MATCHES", own_matches)
    monkeypatch.setattr(search, "ESTIMATED_PROFILES", estimated)
    monkeypatch.setattr(search, "FEW_MATCHES", few)
    maritime = CourseFactory(title_en="Maritime Security", title_ar="الأمن البحري")
    cyber = CourseFactory(title_en="Cyber Defence", title_ar="الدفاع السيبراني")
    kuwait = {"venue_en": "Regional Centre, Kuwait", "venue_ar": "المركز الإقليمي، الكويت"}
    bahrain = {"venue_en": "Defence Academy, Manama", "venue_ar": "أكاديمية الدفاع، البحرين"}
    made = {
        "sea-kw": OfferingFactory(course=maritime, code="SEA-2031", **kuwait),
        "sea-bh": OfferingFactory(course=maritime, code="SEA-2032", **bahrain),
        "cyb-kw": OfferingFactory(course=cyber, code="CYB-7001", **kuwait),
        "cyb-bh": OfferingFactory(course=cyber, code="CYB-7002", **bahrain),
    }

    def codes(query):
        ids = set(Offering.objects.search(query).values_list("pk", flat=True))
        # In the list's date order, paged (walked past `few` matches): the same offerings in that
        # order, and the page read with them is the list's own.
        expected = sorted(Offering.objects.filter(pk__in=ids).values_list("start_date", "pk"), reverse=True)
        paged = Offering.objects.search(query, ordered="desc", page=(1, 2))
        assert list(paged.values_list("start_date", "pk")) == expected
        assert search.matches_page(paged, 1, 2) in (None, [pk for _date, pk in expected[1:3]])
        # Another list (its statement compiled apart from this one's): its own matches only.
        at_sea = Offering.objects.filter(course=maritime).search(query, ordered="desc", page=(0, 10))
        assert {pk for pk in at_sea.values_list("pk", flat=True)} == ids & set(
            maritime.offerings.values_list("pk", flat=True)
        )
        return {name for name, offering in made.items() if offering.pk in ids}

    assert codes("الامن البحري") == {"sea-kw", "sea-bh"}
    assert codes("maritime manama") == {"sea-bh"}  # course and venue
    # Bahrain's stem is maritime's (بحر): the maritime course matches wherever it is held.
    assert codes("البحرين") == {"sea-kw", "sea-bh", "cyb-bh"}
    assert codes("السيبراني الكويت") == {"cyb-kw"}
    assert codes("7002") == {"cyb-bh"}  # its code alone
    assert codes("cyb 7001 kuwait") == {"cyb-kw"}  # code, code and venue
    assert codes("sea defence") == {"sea-bh"}  # a code's word and the venue's
    assert codes("7001 manama") == set()
    made["cyb-kw"].venue_en, made["cyb-kw"].venue_ar = bahrain["venue_en"], bahrain["venue_ar"]
    made["cyb-kw"].save()
    assert codes("cyber manama") == {"cyb-kw", "cyb-bh"}
    cyber.title_en = "Information Assurance"
    cyber.save()
    for offering in Offering.objects.filter(course=cyber):
        offering.save()  # as the course's service does: its offerings' documents follow it
    assert codes("cyber") == set() and codes("assurance manama") == {"cyb-kw", "cyb-bh"}


@pytest.mark.django_db(transaction=True)
def test_a_search_outside_a_transaction_finds_the_same_and_leaves_the_connection_as_it_was():
    """Out of a transaction PostgreSQL reads the shared documents with a setting of its own,
    which ends with that read (core.search._pg_profile_matches)."""
    from django.db import connection

    from partners.models import Area

    # Made here when missing: a test run outside a transaction before this one empties the tables
    # that migrations fill.
    area, _ = Area.objects.get_or_create(code="t-sea", defaults={"name_en": "Sea", "name_ar": "البحر"})
    maritime = CourseFactory(title_en="Maritime Security", title_ar="الأمن البحري", area=area)
    sea = OfferingFactory(course=maritime, code="SEA-2031", venue_en="Regional Centre, Kuwait", venue_ar="الكويت")
    OfferingFactory(course=maritime, code="SEA-2032", venue_en="Defence Academy, Manama", venue_ar="المنامة")
    assert list(Offering.objects.search("الامن البحري kuwait").values_list("pk", flat=True)) == [sea.pk]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_a_page_of_a_search_read_from_one_kept_plan_finds_what_a_plan_for_its_words_finds(monkeypatch):
    """Out of a transaction, on a connection kept between requests, PostgreSQL reads a search's
    first page of offerings from one plan kept for any words (core.plans.generic), planned once;
    it finds what a statement planned for its words finds, and after a rollback, which lets the
    connection's prepared statements go, the statement is prepared again."""
    from django.db import connection, transaction

    from core import plans
    from partners.models import Area

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps plans")
    # Made here: a test run outside a transaction before this one empties the tables migrations fill.
    sea, net = (Area.objects.create(code=code, name_en=code, name_ar=code) for code in ("t-sea", "t-net"))
    maritime = CourseFactory(title_en="Maritime Security", title_ar="الأمن البحري", area=sea)
    cyber = CourseFactory(title_en="Cyber Defence", title_ar="الدفاع السيبراني", area=net)
    kuwait = {"venue_en": "Regional Centre, Kuwait", "venue_ar": "المركز الإقليمي، الكويت"}
    bahrain = {"venue_en": "Defence Academy, Manama", "venue_ar": "أكاديمية الدفاع، البحرين"}
    for n, (course, venue) in enumerate([(maritime, kuwait), (maritime, bahrain), (cyber, kuwait), (cyber, bahrain)]):
        OfferingFactory(course=course, code=f"OFF-{7000 + n}", **venue)
    queries = ["الامن البحري", "maritime manama", "البحرين", "السيبراني الكويت", "7002", "off 7001 kuwait", "energy"]

    def pages():
        found = {q: Offering.objects.search(q, ordered="desc", page=(0, 10)) for q in queries}
        return {q: list(offerings.values_list("code", flat=True)) for q, offerings in found.items()}

    def kept():
        with connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'generic%%'")
            return cursor.fetchall()

    kept_pages = pages()
    assert not kept()  # a connection closed after each request keeps nothing (DB_CONN_MAX_AGE 0)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    assert pages() == kept_pages == pages()
    assert kept() and all(generic >= 2 and custom == 0 for generic, custom in kept())
    with monkeypatch.context() as patched:
        patched.setattr(plans, "keeps_plan", lambda connection, sql: False)
        assert pages() == kept_pages
    assert kept_pages["السيبراني الكويت"] == ["OFF-7002"] and kept_pages["7002"] == ["OFF-7002"]
    assert len(kept_pages["البحرين"]) == 3 and kept_pages["energy"] == []
    with pytest.raises(RuntimeError), transaction.atomic():
        Offering.objects.filter(code="OFF-7000").update(capacity=5)
        raise RuntimeError("rolled back")
    assert not kept()  # psycopg let them go with the rollback
    assert pages() == kept_pages and kept()
    # The catalogue's filters with a search: each list's statement is prepared with its values.
    ran = Offering.objects.get(code="OFF-7003")
    ran.start_date, ran.end_date, ran.status = date(2020, 5, 3), date(2020, 5, 7), Status.COMPLETED
    ran.save()
    filters = {
        "maritime area": {"area": maritime.area.code}, "cyber area": {"area": cyber.area.code, "when": "all"},
        "arabic": {"language": "ar"}, "may 2020": {"month": "2020-05"}, "completed": {"status": "completed"},
        "past": {"when": "past"},
    }  # fmt: skip

    def listed(counts=None):
        client = Client()
        lists = {}
        for query in ["البحرين", "kuwait"]:
            for name, extra in filters.items():
                with CaptureQueriesContext(connection) as run:
                    page = client.get("/en/catalogue/", {"q": query, **extra}).context["page"]
                lists[query, name] = [row["code"] for row in page.object_list]
                lists[query, name, "cards"] = list(page.object_list)
                if counts is not None:
                    counts[query, name] = len(run)
        return lists

    shapes = len(kept())
    kept_lists, kept_counts, apart_counts = listed(), {}, {}
    assert len(kept()) > shapes
    assert listed(kept_counts) == kept_lists  # prepared now: the same pages
    with monkeypatch.context() as patched:
        patched.setattr(plans, "keeps_plan", lambda connection, sql: False)
        assert listed(apart_counts) == kept_lists
    # A page's cards come with its search's first read, from the kept plan: a statement less.
    for key, count in apart_counts.items():
        assert kept_counts[key] == count - bool(kept_lists[key]), key
    assert kept_lists["البحرين", "maritime area"] == ["OFF-7001", "OFF-7000"]
    assert kept_lists["البحرين", "past"] == kept_lists["البحرين", "may 2020"] == ["OFF-7003"]
    assert kept_lists["kuwait", "cyber area"] == ["OFF-7002"] and kept_lists["kuwait", "completed"] == []


@pytest.mark.django_db
def test_offerings_of_a_course_at_one_venue_share_one_document_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's shared documents")
    course = CourseFactory(title_en="Energy Security")
    first, second = OfferingFactory(course=course), OfferingFactory(course=course)
    elsewhere = OfferingFactory(course=course, venue_en="NATO School, Oberammergau", venue_ar="مدرسة الناتو")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_profile FROM training_offering WHERE id = ANY(%s)",
            [[first.pk, second.pk, elsewhere.pk]],
        )
        profiles = dict(cursor.fetchall())
    assert profiles[first.pk] == profiles[second.pk] != profiles[elsewhere.pk]
    assert None not in profiles.values()


@pytest.mark.django_db
def test_postgresql_indexes_words_without_their_positions():
    """No search reads a word's positions; without them the index tables are a third smaller."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's index tables")
    offering = OfferingFactory(course=CourseFactory(title_en="Energy Security"), code="NRG-2031")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.search_vector::text, f.own_vector::text, p.search_vector::text FROM training_offering_fts f "
            "JOIN training_offering o ON o.id = f.id JOIN training_offering_profile p ON p.id = o.search_profile "
            "WHERE f.id = %s",
            [offering.pk],
        )
        vectors = cursor.fetchone()
    assert "'energy'" in vectors[0] and "'nrg'" in vectors[1] and "'energy'" in vectors[2]
    assert not any(":" in vector for vector in vectors)
    assert list(Offering.objects.search("energy nrg").values_list("pk", flat=True)) == [offering.pk]
