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
