"""Areas and nations that lists filter by are kept by each process (core.references)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import references
from partners.models import Area, Nation


def people_page(client, lang="en"):
    with translation.override(lang):
        path = reverse("people:list")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(path).content.decode()
    return html, len(queries)


@pytest.mark.django_db
class TestKeptReferences:
    def test_the_nations_of_a_filter_are_read_once_and_a_new_one_shows_at_once(self, as_user, users):
        client = as_user(users["admin"])
        _html, first = people_page(client)
        html, second = people_page(client)
        assert second == first - 1 and '<option value="BHR">Bahrain</option>' in html
        Nation.objects.create(code="ZZA", name_en="Zedland", name_ar="زيدلاند")
        html, _ = people_page(client)
        assert '<option value="ZZA">Zedland</option>' in html
        html, _ = people_page(client, "ar")
        assert '<option value="ZZA">زيدلاند</option>' in html

    def test_a_change_made_by_another_process_shows_within_the_time_kept(self, as_user, users, monkeypatch, settings):
        client = as_user(users["admin"])
        people_page(client)
        Nation.objects.filter(code="BHR").update(name_en="Kingdom of Bahrain")  # no signal here
        html, _ = people_page(client)
        assert '<option value="BHR">Bahrain</option>' in html
        later = references.time.monotonic() + settings.REFERENCE_SECONDS + 1
        monkeypatch.setattr(references.time, "monotonic", lambda: later)
        html, _ = people_page(client)
        assert '<option value="BHR">Kingdom of Bahrain</option>' in html

    def test_the_api_filters_by_an_area_made_a_moment_ago_and_not_by_one_deleted(self, users):
        from rest_framework.test import APIClient

        from core.testing.factories import CourseFactory, OfferingFactory

        client = APIClient()
        client.force_authenticate(users["admin"])
        assert client.get("/api/v1/offerings/", {"area": "arctic"}).json()["count"] == 0
        arctic = Area.objects.create(code="arctic", name_en="Arctic", name_ar="القطب الشمالي")
        offering = OfferingFactory(course=CourseFactory(area=arctic), area=arctic)
        found = client.get("/api/v1/offerings/", {"area": "arctic"}).json()
        assert [row["code"] for row in found["results"]] == [offering.code]
        offering.delete()
        offering.course.delete()
        arctic.delete()
        assert client.get("/api/v1/offerings/", {"area": "arctic"}).json()["count"] == 0

    def test_list_rows_name_a_nation_made_by_another_process_and_do_not_read_the_nations(self, as_user, users):
        from core.testing.factories import OfferingFactory, PersonFactory
        from nominations import services

        client = as_user(users["admin"])
        people_page(client)  # the nations are now kept by this process
        # Made without signals, as another process's save would look from here.
        (zedland,) = Nation.objects.bulk_create([Nation(code="ZZB", name_en="Zedland", name_ar="زيدلاند")])
        person = PersonFactory(nation=zedland, name_en="Zara Zed", name_ar="زارا زيد")
        services.nomination_submit(by=users["admin"], offering=OfferingFactory(), person=person)
        html, _ = people_page(client)
        assert "<td>Zedland</td>" in html
        html, _ = people_page(client, "ar")
        assert "<td>زيدلاند</td>" in html
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("nominations:list")).content.decode()
        assert "<td>ZZB</td>" in html
        rows = [q["sql"] for q in queries if "nominations_nomination" in q["sql"]]
        assert rows and not [sql for sql in rows if "partners_nation" in sql]
