import pytest
from django.core.cache import cache
from django.test import Client

from core import references
from core.testing import factories


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Each test's rows are rolled back after it: what a process keeps of them must go too.
    references.forget()
    cache.clear()  # pages kept for a while (the calendar feed) and the rate limits' counts
    settings.LANGUAGE_CODE = "en"
    # Hashing stays real in the app; in tests a slow hasher only costs seconds per user made.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    """One user per role; `focal_other` is a focal point of another nation (our "Charlie")."""
    return factories.role_users()


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for
