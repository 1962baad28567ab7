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
