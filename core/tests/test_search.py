import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.testing.factories import CourseFactory
from training.models import Course

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
