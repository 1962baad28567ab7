"""A test mixin that gives every list, detail and API endpoint its outsider-answers-404 tests.

A test class mixes it in and says how to make an object, who may and who may not see it, and
where it is shown. The insider's checks prove that the outsider's checks can fail.
"""

import pytest
from django.test import Client
from django.utils import translation

LANGUAGES = ("en", "ar")


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


class HiddenFromOutsiders:
    def make_object(self, users):
        raise NotImplementedError

    def insider(self, users):
        raise NotImplementedError

    def outsider(self, users):
        raise NotImplementedError

    def detail_urls(self, obj):
        """URLs that show the one object (pages are reversed in the active language)."""
        raise NotImplementedError

    def list_urls(self):
        return []

    def marker(self, obj):
        """Text by which a list shows the object."""
        return str(obj)

    def marker_for(self, obj, url):
        """Text by which the list at `url` shows the object (the API may show it differently)."""
        return self.marker(obj)

    def _each(self, urls_of):
        for lang in LANGUAGES:
            with translation.override(lang):
                yield from urls_of()

    @pytest.mark.django_db
    def test_outsider_gets_404_on_every_detail(self, users):
        obj = self.make_object(users)
        client = _client(self.outsider(users))
        for url in self._each(lambda: self.detail_urls(obj)):
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 404, url

    @pytest.mark.django_db
    def test_insider_sees_every_detail(self, users):
        obj = self.make_object(users)
        client = _client(self.insider(users))
        for url in self._each(lambda: self.detail_urls(obj)):
            assert client.get(url).status_code == 200, url

    @pytest.mark.django_db
    def test_lists_show_it_to_insiders_only(self, users):
        obj = self.make_object(users)
        inside, outside = _client(self.insider(users)), _client(self.outsider(users))
        for url in self._each(self.list_urls):
            marker = self.marker_for(obj, url)
            assert marker in inside.get(url).content.decode(), url
            assert marker not in outside.get(url).content.decode(), url
