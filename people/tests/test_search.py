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
