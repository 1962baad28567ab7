import pytest

from core.testing.factories import PersonFactory
from people.models import Person


@pytest.fixture
def people(db):
    return [
        PersonFactory(name_en="Ahmed Al-Harthi", name_ar="أحمد الحارثي"),
        PersonFactory(name_en="Ahmed Al-Amri", name_ar="أحمد العامري"),
        PersonFactory(name_en="Al Saleh", name_ar="آل صالح"),
    ]


def found(query):
    return set(Person.objects.search(query).values_list("name_en", flat=True))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Ahmed Al Harthi", {"Ahmed Al-Harthi"}),
        ("Ahmed el Harthi", {"Ahmed Al-Harthi"}),
        ("Ahmad Al-Amri", {"Ahmed Al-Amri"}),
        ("أحمد بن الحارثي", {"Ahmed Al-Harthi"}),
        ("Ahmed", {"Ahmed Al-Harthi", "Ahmed Al-Amri"}),
        # A query of short words only still searches with them.
        ("Al", {"Ahmed Al-Harthi", "Ahmed Al-Amri", "Al Saleh"}),
    ],
)
def test_short_words_do_not_narrow_a_name_search(people, query, names):
    assert found(query) == names


def test_matches_that_the_same_spelling_fills_search_no_further(people, monkeypatch, django_assert_num_queries):
    from accounts.models import Role
    from core.testing.factories import UserFactory
    from people import selectors

    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    PersonFactory(name_en="Ahmad Al-Harthy")  # found by sound alone: not needed, not looked for
    admin = UserFactory(role=Role.ADMIN)
    # One read of the index and the names together, on either database (core.search).
    with django_assert_num_queries(1):
        scored = selectors.scored_matches(user=admin, name="Ahmed")
    assert {Person.objects.get(pk=pk).name_en for _score, pk in scored} <= {"Ahmed Al-Harthi", "Ahmed Al-Amri"}
    found = selectors.scored_matches(user=admin, name="Ahmed Al-Harthi")
    assert {Person.objects.get(pk=pk).name_en for _score, pk in found} >= {"Ahmed Al-Harthi", "Ahmad Al-Harthy"}


def test_a_search_that_finds_nobody_shows_an_empty_list(people, client):
    from accounts.models import Role
    from core.testing.factories import UserFactory

    client.force_login(UserFactory(role=Role.ADMIN))
    for query in ({"q": "Zebulon"}, {"q": "Zebulon", "sort": "-id"}, {"q": "Zebulon", "sort": "name"}):
        response = client.get("/en/people/", query)
        assert response.status_code == 200
        assert "Ahmed" not in response.content.decode()


def test_duplicate_suggestions_compiled_for_one_reader_never_serve_another(db):
    """The candidate searches are compiled once for each kind of reader, nation and excluded record
    (people.selectors._sharing): a focal point's never reach another nation's people, a nation
    asked for narrows the search, and an excluded record stays out."""
    from accounts.models import Role
    from core.testing.factories import UserFactory, nation
    from people import selectors

    kuwaiti = PersonFactory(name_en="Ahmed Al-Harthi", name_ar="أحمد الحارثي", nation=nation("KWT"))
    bahraini = PersonFactory(name_en="Ahmad Al-Harthy", name_ar="أحمد الحارثي", nation=nation("BHR"))
    focal = {code: UserFactory(role=Role.FOCAL_POINT, nation=nation(code)) for code in ("KWT", "BHR")}
    admin = UserFactory(role=Role.ADMIN)

    def ids(user, name="Ahmed Al Harthi", **kwargs):
        return {pk for _score, pk in selectors.scored_matches(user=user, name=name, **kwargs)}

    for _ in range(2):  # compiled the first time, reused the second
        assert ids(focal["KWT"]) == {kuwaiti.pk}
        assert ids(focal["BHR"]) == {bahraini.pk}
        assert ids(focal["BHR"], name="أحمد الحارثي") == {bahraini.pk}
        assert ids(admin) == {kuwaiti.pk, bahraini.pk}
        assert ids(admin, nation=nation("BHR")) == {bahraini.pk}
        assert ids(admin, exclude=kuwaiti.pk) == {bahraini.pk}
        assert ids(admin, name='Ahmed "Al-Harthi"%') == {kuwaiti.pk, bahraini.pk}  # quotes are text


@pytest.mark.parametrize("sort", ["id", "-id"])
def test_a_merged_record_is_not_found_by_a_search_of_everyone(users, client, sort):
    """Staff searching everyone read the people's index alone, which leaves out records merged
    into another (Person.search_index_excludes) on PostgreSQL and marks them on SQLite
    (core.search.hidden_of): a merge takes the record out of the list, and the list is the one
    the other readers' searches give."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing.factories import nation
    from people import services

    kuwait = nation("KWT")
    keep = PersonFactory(nation=kuwait, name_en="Salim Haddad", name_ar="سالم حداد")
    dupe = PersonFactory(nation=kuwait, name_en="Salem Hadad", name_ar="سالم حداد")
    other = PersonFactory(nation=nation("BHR"), name_en="Salim Al-Haddad", name_ar="سالم الحداد")
    client.force_login(users["admin"])
    assert "3 people" in client.get("/en/people/", {"q": "سالم حداد", "sort": sort}).content.decode()
    services.person_merge(by=users["admin"], survivor=keep, merged=dupe, reason="Same passport")
    expected = [p.pk for p in sorted([keep, other], key=lambda p: p.pk, reverse=sort == "-id")]

    listed = Person.objects.current().order_by(sort.replace("id", "pk"))
    ordered = "desc" if sort == "-id" else "asc"
    for whole in (True, False):
        assert list(listed.search("سالم حداد", ordered=ordered, whole=whole).values_list("pk", flat=True)) == expected

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/people/", {"q": "Salim Haddad", "sort": sort}).content.decode()
    if connection.vendor == "sqlite":
        searches = [q["sql"] for q in queries if "people_person_fts" in q["sql"]]
        assert len(searches) == 1 and '"people_person" ,' not in searches[0], searches
    links = {pk: page.find(f'href="/en/people/{pk}/"') for pk in (keep.pk, dupe.pk, other.pk)}
    assert sorted((at, pk) for pk, at in links.items() if at >= 0) == [(links[pk], pk) for pk in expected]
    assert "2 people" in page


@pytest.mark.parametrize("query", ["Ibrahim ibrahim", "إبراهيم ابراهيم"])
def test_a_name_said_twice_is_searched_as_said_once(users, client, query):
    """Names repeat words ("Ibrahim Ibrahim"), and a record's words are a set: the search reads
    the index as for the word said once (core.search._cleaned). Read twice on PostgreSQL, a
    common name's matches were intersected with themselves and it was no longer one word."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PersonFactory(name_en="Ibrahim Ibrahim Haddad", name_ar="إبراهيم إبراهيم حداد")
    PersonFactory(name_en="Ibrahim Saleh", name_ar="إبراهيم صالح")
    PersonFactory(name_en="Salim Haddad", name_ar="سالم حداد")
    client.force_login(users["admin"])

    def searched(text):
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/en/people/", {"q": text}).content.decode()
        return page, [q["sql"] for q in queries if "people_person_fts" in q["sql"]]

    (twice, read_twice), (once, read_once) = searched(query), searched(query.split()[0])
    assert read_twice and read_twice == read_once
    assert "2 people" in twice and "2 people" in once and "Salim Haddad" not in twice


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("jame", {"James Williams", "Jameson Clark"}),
        ("JAMES", {"James Williams", "Jameson Clark"}),
        ("Jameson", {"Jameson Clark"}),
        # Longer than the starts indexed: its first eight letters.
        ("Christopherson", {"Christopher Lee"}),
        ("j", {"James Williams", "Jameson Clark", "Jamal Nasser"}),
        ("جما", {"Jamal Nasser"}),
        ("jam nas", {"Jamal Nasser"}),
        # Numbers begin with a digit: their starts are read as such.
        ("5550", {"James Williams"}),
        ("97312", {"Christopher Lee"}),
        ("lee 9731", {"Christopher Lee"}),
        ("jamesx", set()),
    ],
)
def test_the_start_of_a_word_finds_every_word_it_begins(db, query, names):
    """On PostgreSQL the start of a word is read from an index of the words' starts
    (core.search._pg_read_sql), and lists read that way find what the words themselves give."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PersonFactory(name_en="James Williams", name_ar="جيمس وليامز", email="jw@example.org", phone="+965 5550 1234")
    PersonFactory(name_en="Jameson Clark", name_ar="جيمسون كلارك", email="jc@example.org", phone="+965 2222 1111")
    PersonFactory(name_en="Christopher Lee", name_ar="كريستوفر لي", email="cl@example.org", phone="+97312345678")
    PersonFactory(name_en="Jamal Nasser", name_ar="جمال ناصر", email="jn@example.org", phone="+965 3333 4444")
    listed = Person.objects.current()
    for whole in (True, False):
        with CaptureQueriesContext(connection) as queries:
            assert set(listed.search(query, ordered="asc", whole=whole).values_list("name_en", flat=True)) == names
        if connection.vendor == "postgresql" and query in ("jame", "jam nas"):
            assert any("search_prefixes(search_vector)" in q["sql"] for q in queries), queries


@pytest.mark.django_db(transaction=True)
def test_a_search_of_everyone_reads_its_page_with_its_matches_from_one_kept_plan(monkeypatch, client):
    """On PostgreSQL, on a connection kept between requests, staff searching everyone read the
    first matches and their page's rows in one statement from one plan kept for any words
    (core.search._kept_read): every page shows what reading them apart shows, a statement less."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing.factories import role_users
    from partners.models import Nation
    from people import services

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps plans")
    # Made here when missing: a test run outside a transaction before this one empties the tables
    # that migrations fill.
    kuwait, _ = Nation.objects.get_or_create(code="KWT", defaults={"name_en": "Kuwait", "name_ar": "الكويت"})
    Nation.objects.get_or_create(code="BHR", defaults={"name_en": "Bahrain", "name_ar": "البحرين"})
    admin = role_users()["admin"]
    badr = [PersonFactory(nation=kuwait, name_en=f"Badr Al-Mutairi {n}", name_ar=f"بدر المطيري {n}") for n in range(30)]
    PersonFactory(nation=kuwait, name_en="Salem Hadad", name_ar="سالم حداد")
    services.person_merge(by=admin, survivor=badr[0], merged=badr[1], reason="Same passport")
    client.force_login(admin)
    asked = [
        {"q": "badr"}, {"q": "بدر", "page": 2}, {"q": "Badr Mutairi", "sort": "-id"}, {"q": "بدر", "page": 7},
        {"q": "salem"}, {"q": "nobody"}, {"q": "badr", "sort": "name"},
    ]  # fmt: skip

    def pages(counts=None):
        read = {}
        for query in asked:
            with CaptureQueriesContext(connection) as run:
                page = client.get("/en/people/", query).context["page"]
            key = tuple(sorted(query.items()))
            read[key] = (page.number, page.paginator.count, list(page.object_list))
            if counts is not None:
                counts[key] = len(run)
        return read

    def compared(mode):
        """The pages read apart and together, with each page's statements: by the GIN index, or
        as a walk of the index's table that PostgreSQL's statistics of a large table would choose
        (core.search._walks, _surely_many, forced here)."""
        apart_counts, kept_counts = {}, {}
        with monkeypatch.context() as patched:
            if mode:
                patched.setattr(search, mode, lambda *args: True)
            pages()  # each process reads the nations once, on a first page
            apart = pages(apart_counts)
            patched.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
            assert pages() == apart == pages(kept_counts), mode
            with connection.cursor() as cursor:
                kept = "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'generic%%'"
                cursor.execute(kept)
                assert all(generic >= 2 and custom == 0 for generic, custom in cursor.fetchall()), mode
        for key, count in apart_counts.items():
            # A page that shows rows reads them with its matches, in the list's order by id only.
            together = bool(apart[key][2]) and ("page", 7) not in key and ("sort", "name") not in key
            assert kept_counts[key] == count - together, (mode, key)
        return apart

    from core import search
    from core.tables import SEARCH_COUNT_CAP

    apart = compared(None)
    walked, surely_many = compared("_walks"), compared("_surely_many")
    assert walked == apart
    # Counted as more than it is, a list of 29 has a page 7, which shows nobody.
    assert {key: read[2] for key, read in surely_many.items() if ("page", 7) not in key} == {
        key: read[2] for key, read in apart.items() if ("page", 7) not in key
    }
    assert surely_many[(("q", "badr"),)][1] == SEARCH_COUNT_CAP  # "more than 300": counted so, not read
    newest = sorted((person.pk for person in badr if person != badr[1]), reverse=True)
    assert [row["pk"] for row in apart[(("q", "Badr Mutairi"), ("sort", "-id"))][2]] == newest[:25]
    assert apart[(("page", 2), ("q", "بدر"))][:2] == (2, 29) and len(apart[(("page", 2), ("q", "بدر"))][2]) == 4
    assert apart[(("page", 7), ("q", "بدر"))][0] == 2 and apart[(("q", "nobody"),)][1:] == (0, [])
    assert apart[(("q", "salem"),)][2][0]["name_ar"] == "سالم حداد"
