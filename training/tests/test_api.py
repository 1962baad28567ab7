from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.testing.factories import CourseFactory, OfferingFactory, nation
from partners.models import Area
from training.models import Offering, Quota, Status


def api(user=None, lang="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
class TestReferenceApi:
    def test_nations_with_groups(self):
        response = api().get("/api/v1/nations/?page_size=500")
        assert response.status_code == 200
        nations = {n["code"]: n for n in response.json()["results"]}
        assert {"NATO", "ICI"} <= set(nations["TUR"]["groups"]) | set(nations["KWT"]["groups"])
        assert "ICI" in nations["KWT"]["groups"] and "GCC" in nations["KWT"]["groups"]
        assert nations["KWT"]["name_ar"] == "الكويت"

    def test_nations_filtered_by_group(self):
        response = api().get("/api/v1/nations/?groups__code=ICI")
        assert {n["code"] for n in response.json()["results"]} == {"KWT", "BHR", "QAT", "ARE"}

    def test_areas(self):
        results = api().get("/api/v1/areas/").json()["results"]
        assert len(results) >= 8 and {"code", "name_en", "name_ar"} == set(results[0])


@pytest.mark.django_db
class TestOfferingsApi:
    def test_public_list_has_the_contract_fields(self, users):
        OfferingFactory(status=Status.OPEN)
        OfferingFactory(status=Status.DRAFT)
        body = api().get("/api/v1/offerings/").json()
        assert body["count"] == 1 and {"next", "previous", "results"} <= set(body)
        assert {
            "id",
            "course",
            "code",
            "start_date",
            "end_date",
            "venue",
            "capacity",
            "admission",
            "nomination_deadline",
            "status",
            "quotas",
            "seats_taken",
        } <= set(body["results"][0])

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_each_listed_offering_is_as_its_own_page_shows_it(self, users, lang):
        """The list writes its rows from values; each must equal the offering's own representation."""
        quoted = OfferingFactory(status=Status.OPEN, venue_en="Kuwait City", venue_ar="مدينة الكويت")
        Quota.objects.create(offering=quoted, nation=nation("KWT"), seats=3)
        Quota.objects.create(offering=quoted, nation=nation("BHR"), seats=2)
        quoted.instructors.set([users["instructor"]])
        OfferingFactory(status=Status.COMPLETED, venue_ar="", director=None)
        listed = api(lang=lang).get("/api/v1/offerings/").json()["results"]
        assert len(listed) == 2
        for row in listed:
            assert row == api(lang=lang).get(f"/api/v1/offerings/{row['id']}/").json()
        row = next(r for r in listed if r["id"] == quoted.pk)
        assert row["venue"] == ("مدينة الكويت" if lang == "ar" else "Kuwait City")
        assert row["quotas"] == [{"nation": "BHR", "seats": 2}, {"nation": "KWT", "seats": 3}]
        assert row["instructors"] == [users["instructor"].pk]

    def test_list_query_count_is_constant(self):
        OfferingFactory(status=Status.OPEN)
        with CaptureQueriesContext(connection) as one:
            api().get("/api/v1/offerings/")
        for _ in range(5):
            OfferingFactory(status=Status.OPEN)
        with CaptureQueriesContext(connection) as six:
            api().get("/api/v1/offerings/")
        assert len(one) == len(six)

    def test_filters(self):
        a = OfferingFactory(
            status=Status.OPEN,
            course=CourseFactory(title_en="Energy Security", area=Area.objects.get(code="energy-security")),
        )
        OfferingFactory(status=Status.CLOSED)
        assert [o["code"] for o in api().get("/api/v1/offerings/?status=open").json()["results"]] == [a.code]
        assert [o["code"] for o in api().get("/api/v1/offerings/?area=energy-security").json()["results"]] == [a.code]
        assert api().get("/api/v1/offerings/?area=no-such-area").json()["results"] == []
        assert [o["code"] for o in api().get("/api/v1/offerings/?q=energ").json()["results"]] == [a.code]

    def test_page_size_is_capped(self):
        response = api().get("/api/v1/offerings/?page_size=10000")
        assert response.status_code == 200

    def test_staff_creates_and_transitions(self, users):
        course = CourseFactory()
        start = timezone.localdate() + timedelta(days=30)
        response = api(users["director"]).post(
            "/api/v1/offerings/",
            {
                "course": course.pk,
                "code": "API-1",
                "start_date": str(start),
                "end_date": str(start + timedelta(days=2)),
                "venue_en": "Kuwait",
                "venue_ar": "الكويت",
                "capacity": 12,
                "admission": "first_come",
                "nomination_deadline": str(start - timedelta(days=7)),
                "quotas": [{"nation": "KWT", "seats": 3}],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft" and body["quotas"] == [{"nation": "KWT", "seats": 3}]
        response = api(users["director"]).post(
            f"/api/v1/offerings/{body['id']}/transition/", {"to": "open"}, format="json"
        )
        assert response.status_code == 200 and response.json()["status"] == "open"

    def test_bad_input_is_400_with_field_messages_in_the_request_language(self, users):
        course = CourseFactory()
        start = timezone.localdate() + timedelta(days=30)
        payload = {
            "course": course.pk,
            "code": "API-2",
            "start_date": str(start),
            "end_date": str(start),
            "venue_en": "K",
            "venue_ar": "ك",
            "capacity": 5,
            "nomination_deadline": str(start + timedelta(days=3)),
        }
        response = api(users["admin"]).post("/api/v1/offerings/", payload, format="json")
        assert response.status_code == 400
        assert "nomination_deadline" in response.json()
        response = api(users["admin"], "ar").post("/api/v1/offerings/", payload, format="json")
        assert response.json()["nomination_deadline"] == ["يجب أن يكون الموعد النهائي للترشيح في تاريخ البدء أو قبله."]
        assert not Offering.objects.filter(code="API-2").exists()

    def test_refused_transition_is_409(self, users):
        offering = OfferingFactory(status=Status.DRAFT, director=users["director"])
        response = api(users["director"]).post(
            f"/api/v1/offerings/{offering.pk}/transition/", {"to": "completed"}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "transition_refused"

    def test_visible_but_not_theirs_is_403(self, users):
        offering = OfferingFactory(status=Status.OPEN, director=users["director"])
        response = api(users["director_other"]).post(
            f"/api/v1/offerings/{offering.pk}/transition/", {"to": "closed"}, format="json"
        )
        assert response.status_code == 403

    @pytest.mark.parametrize("who", ["focal", "observer", "participant", "instructor"])
    def test_non_staff_cannot_write(self, users, who):
        offering = OfferingFactory(status=Status.OPEN)
        assert (
            api(users[who]).patch(f"/api/v1/offerings/{offering.pk}/", {"capacity": 3}, format="json").status_code
            == 403
        )
        assert (
            api(users[who])
            .post(f"/api/v1/offerings/{offering.pk}/transition/", {"to": "closed"}, format="json")
            .status_code
            == 403
        )

    def test_anonymous_write_is_401(self):
        offering = OfferingFactory(status=Status.OPEN)
        assert api().patch(f"/api/v1/offerings/{offering.pk}/", {"capacity": 3}, format="json").status_code == 401


@pytest.mark.django_db
class TestCoursesApi:
    def test_create_and_patch(self, users):
        response = api(users["admin"]).post(
            "/api/v1/courses/",
            {
                "code": "NEW-1",
                "title_en": "New",
                "title_ar": "جديد",
                "area": "cyber",
                "duration_days": 3,
                "languages": ["en", "ar"],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["languages"] == ["ar", "en"]
        pk = response.json()["id"]
        response = api(users["admin"]).patch(f"/api/v1/courses/{pk}/", {"active": False}, format="json")
        assert response.json()["active"] is False
        assert api().get(f"/api/v1/courses/{pk}/").status_code == 404

    def test_duplicate_code_is_400(self, users):
        CourseFactory(code="DUP-1")
        response = api(users["admin"]).post(
            "/api/v1/courses/",
            {"code": "DUP-1", "title_en": "x", "title_ar": "س", "area": "cyber", "languages": ["en"]},
            format="json",
        )
        assert response.status_code == 400 and "code" in response.json()


@pytest.mark.django_db
class TestTokenAuth:
    def test_token_then_authenticated_call(self, users):
        cache.clear()
        response = api().post("/api/v1/auth/token/", {"username": "t-admin", "password": "pw-Secret-123"})
        token = response.json()["token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        draft = OfferingFactory(status=Status.DRAFT)
        assert client.get(f"/api/v1/offerings/{draft.pk}/").status_code == 200

    def test_wrong_password_is_400_and_repeated_failures_429(self, users, settings):
        cache.clear()
        for _ in range(settings.TOKEN_FAILURE_LIMIT):
            assert api().post("/api/v1/auth/token/", {"username": "t-admin", "password": "nope"}).status_code == 400
        assert (
            api().post("/api/v1/auth/token/", {"username": "t-admin", "password": "pw-Secret-123"}).status_code == 429
        )


@pytest.mark.django_db
def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/offerings/{id}/transition/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "https://" not in docs


@pytest.mark.django_db
def test_the_schema_kept_for_a_while_is_each_languages_and_formats_own(client):
    english = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    arabic = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "A page number within the paginated result set." in english
    assert "رقم الصفحة ضمن النتائج المقسمة." in arabic and "A page number within" not in arabic
    assert client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content.decode() == english
    assert client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="ar").content.decode() == arabic
    # And each format's own: YAML unless JSON is asked for.
    assert english.startswith("openapi:")
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode().startswith("{")
    assert client.get("/api/schema/").content.decode().startswith("openapi:")
