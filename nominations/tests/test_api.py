from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from core.testing.factories import OfferingFactory, PersonFactory, nation
from core.testing.visibility import HiddenFromOutsiders
from nominations import services
from nominations.models import Nomination
from people import selectors
from people.api.views import MatchSerializer
from people.models import Person
from training.models import Quota


def api(user=None, lang="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_authenticate(user)
    return client


class TestNominationHiddenFromOtherNation(HiddenFromOutsiders):
    """Kuwait's nomination: Bahrain's focal point ("Charlie") must not learn it exists."""

    def make_object(self, users):
        person = PersonFactory(nation=nation("KWT"), name_en="Kuwaiti Candidate", name_ar="")
        offering = OfferingFactory(director=users["director"])
        return services.nomination_submit(by=users["focal"], offering=offering, person=person)

    def insider(self, users):
        return users["focal"]

    def outsider(self, users):
        return users["focal_other"]

    def detail_urls(self, obj):
        lang = translation.get_language()
        with translation.override(lang):
            page = reverse("nominations:detail", args=[obj.pk])
        return [page, f"/api/v1/nominations/{obj.pk}/"]

    def list_urls(self):
        with translation.override(translation.get_language()):
            return [reverse("nominations:list"), "/api/v1/nominations/?page_size=500"]

    def marker_for(self, obj, url):
        return f'"id":{obj.pk},"offering"' if url.startswith("/api/") else "Kuwaiti Candidate"


class TestNominationHiddenFromOtherParticipant(TestNominationHiddenFromOtherNation):
    def outsider(self, users):
        return users["participant"]  # a Kuwaiti participant, but not this person


class TestPersonHiddenFromOtherNation(HiddenFromOutsiders):
    def make_object(self, users):
        return PersonFactory(nation=nation("KWT"), name_en="Kuwaiti Officer Zayed")

    def insider(self, users):
        return users["focal"]

    def outsider(self, users):
        return users["focal_other"]

    def detail_urls(self, obj):
        with translation.override(translation.get_language()):
            pages = [reverse("people:detail", args=[obj.pk]), reverse("people:edit", args=[obj.pk])]
        return [*pages, f"/api/v1/people/{obj.pk}/"]

    def list_urls(self):
        with translation.override(translation.get_language()):
            return [
                reverse("people:list"),
                "/api/v1/people/?page_size=500",
                "/api/v1/people/matches/?name=Kuwaiti+Officer+Zayed",
            ]

    def marker(self, obj):
        return "Kuwaiti Officer Zayed"


@pytest.mark.django_db
class TestPeopleApi:
    def test_focal_point_creates_for_own_nation(self, users):
        response = api(users["focal"]).post(
            "/api/v1/people/", {"name_en": "Salem Al-Azmi", "name_ar": "سالم العازمي", "email": "S@Example.org"}
        )
        assert response.status_code == 201, response.json()
        assert response.json()["nation"] == "KWT" and response.json()["email"] == "s@example.org"

    def test_focal_point_cannot_create_for_another_nation(self, users):
        response = api(users["focal"]).post("/api/v1/people/", {"name_en": "X Y", "nation": "BHR"})
        assert response.status_code == 403
        assert not Person.objects.exists()

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_bad_input_names_the_field_in_the_users_language(self, users, lang):
        response = api(users["admin"], lang).post("/api/v1/people/", {"nation": "KWT", "email": "not-an-address"})
        assert response.status_code == 400
        body = response.json()
        assert "email" in body or "name_ar" in body
        if lang == "ar":
            assert any("\u0600" <= ch <= "\u06ff" for ch in str(body))
        assert not Person.objects.exists()

    def test_patch(self, users):
        person = PersonFactory(nation=nation("KWT"))
        response = api(users["focal"]).patch(f"/api/v1/people/{person.pk}/", {"rank": "Colonel"}, format="json")
        assert response.status_code == 200 and response.json()["rank"] == "Colonel"
        assert api(users["focal_other"]).patch(f"/api/v1/people/{person.pk}/", {"rank": "x"}).status_code == 404

    def test_matches_best_first_with_a_score(self, users):
        same = PersonFactory(nation=nation("KWT"), name_ar="محمد عبدالله العنزي", name_en="Mohammed Abdullah Al-Enezi")
        PersonFactory(nation=nation("KWT"), name_ar="فهد الصباح", name_en="Fahad Al-Sabah")
        body = api(users["focal"]).get("/api/v1/people/matches/", {"name": "Mohamed Abdallah Al Anezi"}).json()
        assert [m["id"] for m in body["results"]] == [same.pk]
        assert 0 < body["results"][0]["score"] <= 1
        body = api(users["focal"]).get("/api/v1/people/matches/", {"name": "محمد عبد الله العنزي"}).json()
        assert [m["id"] for m in body["results"]] == [same.pk]

    def test_each_match_is_written_as_the_match_serializer_writes_the_person(self, users):
        for name_en in ("Mohammed Al-Anezi", "Mohamed Alanezi", "Muhammad Al Enezi"):
            PersonFactory(nation=nation("KWT"), name_en=name_en, name_ar="محمد العنزي", rank="Major", phone="+965 1")
        body = api(users["admin"]).get("/api/v1/people/matches/", {"name": "Mohammed Al Anezi"}).json()
        assert body["count"] == 3
        people = selectors.person_matches(user=users["admin"], name="Mohammed Al Anezi", limit=20)
        assert body["results"] == MatchSerializer(people, many=True).data

    def test_matches_needs_a_name(self, users):
        assert api(users["focal"]).get("/api/v1/people/matches/").status_code == 400

    def test_anonymous_is_refused(self):
        assert api().get("/api/v1/people/").status_code in (401, 403)

    def test_list_query_count_is_constant(self, users):
        PersonFactory(nation=nation("KWT"))
        with CaptureQueriesContext(connection) as one:
            api(users["focal"]).get("/api/v1/people/")
        for _ in range(5):
            PersonFactory(nation=nation("KWT"))
        with CaptureQueriesContext(connection) as six:
            api(users["focal"]).get("/api/v1/people/")
        assert len(one) == len(six)


@pytest.mark.django_db
class TestNominationsApi:
    def test_create_decide_withdraw_with_history(self, users):
        offering = OfferingFactory(director=users["director"], capacity=1)
        first, second = PersonFactory(nation=nation("KWT")), PersonFactory(nation=nation("KWT"))
        created = api(users["focal"]).post("/api/v1/nominations/", {"offering": offering.pk, "person": first.pk})
        assert created.status_code == 201, created.json()
        body = created.json()
        assert body["status"] == "submitted" and body["nation"] == "KWT"
        assert {"id", "offering", "person", "nation", "status", "waitlist_position", "submitted_at", "history"} <= set(
            body
        )
        other = api(users["focal"]).post("/api/v1/nominations/", {"offering": offering.pk, "person": second.pk}).json()
        decided = api(users["director"]).post(f"/api/v1/nominations/{body['id']}/decide/", {"decision": "accept"})
        assert decided.status_code == 200 and decided.json()["status"] == "accepted"
        waiting = api(users["director"]).post(f"/api/v1/nominations/{other['id']}/decide/", {"decision": "waitlist"})
        assert waiting.json()["waitlist_position"] == 1
        withdrawn = api(users["focal"]).post(f"/api/v1/nominations/{body['id']}/withdraw/", {"reason": "Illness"})
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
        assert [h["to_status"] for h in withdrawn.json()["history"]] == ["submitted", "accepted", "withdrawn"]
        promoted = api(users["focal"]).get(f"/api/v1/nominations/{other['id']}/").json()
        assert promoted["status"] == "accepted" and promoted["history"][-1]["kind"] == "promoted"

    def test_every_answer_is_the_nomination_as_its_own_page_shows_it(self, users):
        offering = OfferingFactory(director=users["director"], capacity=1, admission="first_come")
        first, second = PersonFactory(nation=nation("KWT")), PersonFactory(nation=nation("KWT"))
        focal, director = api(users["focal"]), api(users["director"])

        def as_shown(response, code):
            body = response.json()
            assert response.status_code == code and body == focal.get(f"/api/v1/nominations/{body['id']}/").json()
            return body

        accepted = focal.post("/api/v1/nominations/", {"offering": offering.pk, "person": first.pk, "reason": "Ready"})
        accepted = as_shown(accepted, 201)
        assert accepted["history"][0]["reason"] == "Ready"
        waiting = as_shown(focal.post("/api/v1/nominations/", {"offering": offering.pk, "person": second.pk}), 201)
        assert (accepted["status"], waiting["status"], waiting["waitlist_position"]) == ("accepted", "waitlisted", 1)
        withdrawn = as_shown(focal.post(f"/api/v1/nominations/{accepted['id']}/withdraw/", {"reason": "Ill"}), 200)
        assert withdrawn["history"][-1]["reason"] == "Ill"
        declined = director.post(
            f"/api/v1/nominations/{waiting['id']}/decide/", {"decision": "decline", "reason": "Late"}
        )
        history = as_shown(declined, 200)["history"]
        assert [(h["kind"], h["by"]) for h in history] == [
            ("submitted", users["focal"].username),
            ("automatic", None),
            ("promoted", None),
            ("decided", users["director"].username),
        ]

    def test_a_new_first_come_nomination_answers_its_place_as_the_list_counts_it(self, users):
        offering = OfferingFactory(director=users["director"], capacity=1, admission="first_come")
        same_moment = timezone.now()
        answered = []
        for _ in range(4):
            person = PersonFactory(nation=nation("KWT"))
            with mock.patch("nominations.services.moment", return_value=same_moment):
                answered.append(
                    api(users["focal"])
                    .post("/api/v1/nominations/", {"offering": offering.pk, "person": person.pk})
                    .json()
                )
        assert [a["waitlist_position"] for a in answered] == [None, 1, 2, 3]
        listed = api(users["focal"]).get("/api/v1/nominations/", {"offering": offering.pk}).json()["results"]
        assert {n["id"]: n["waitlist_position"] for n in listed} == {a["id"]: a["waitlist_position"] for a in answered}

    def test_domain_refusal_is_409_with_a_code(self, users):
        offering = OfferingFactory(director=users["director"])
        person = PersonFactory(nation=nation("KWT"))
        api(users["focal"]).post("/api/v1/nominations/", {"offering": offering.pk, "person": person.pk})
        again = api(users["focal"], "ar").post("/api/v1/nominations/", {"offering": offering.pk, "person": person.pk})
        assert again.status_code == 409 and again.json()["code"] == "already_nominated"
        assert any("\u0600" <= ch <= "\u06ff" for ch in again.json()["detail"])

    def test_quota_full_is_409(self, users):
        offering = OfferingFactory(director=users["director"], capacity=5)
        Quota.objects.create(offering=offering, nation=nation("KWT"), seats=0)
        nomination = services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        response = api(users["director"]).post(f"/api/v1/nominations/{nomination.pk}/decide/", {"decision": "accept"})
        assert response.status_code == 409 and response.json()["code"] == "quota_full"

    def test_focal_point_cannot_decide(self, users):
        offering = OfferingFactory(director=users["director"])
        nomination = services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        response = api(users["focal"]).post(f"/api/v1/nominations/{nomination.pk}/decide/", {"decision": "accept"})
        assert response.status_code == 403
        assert Nomination.objects.get().status == "submitted"

    def test_another_nations_person_reads_as_missing(self, users):
        offering = OfferingFactory()
        bahraini = PersonFactory(nation=nation("BHR"))
        response = api(users["focal"]).post("/api/v1/nominations/", {"offering": offering.pk, "person": bahraini.pk})
        assert response.status_code == 400 and set(response.json()) == {"person"}
        assert not Nomination.objects.exists()

    def test_the_check_of_what_the_caller_sees_is_each_callers_own(self, users):
        """The check's query is built once per kind of caller (core.plain.Compiled): one focal
        point's check never answers for another's."""
        offering = OfferingFactory()
        kuwaiti, bahraini = PersonFactory(nation=nation("KWT")), PersonFactory(nation=nation("BHR"))
        answers = {
            (caller, person.nation.code): api(users[caller]).post(
                "/api/v1/nominations/", {"offering": offering.pk, "person": person.pk}
            )
            for caller, person in [("focal", kuwaiti), ("focal_other", kuwaiti), ("focal_other", bahraini),
                                   ("focal", bahraini)]
        }  # fmt: skip
        assert {key: answer.status_code for key, answer in answers.items()} == {
            ("focal", "KWT"): 201, ("focal_other", "KWT"): 400, ("focal_other", "BHR"): 201, ("focal", "BHR"): 400
        }  # fmt: skip
        assert set(answers["focal", "BHR"].json()) == {"person"}
        assert Nomination.objects.count() == 2

    @pytest.mark.parametrize(("offering_seen", "person_seen"), [(False, True), (False, False)])
    def test_an_offering_out_of_reach_reads_as_missing_alone_or_with_the_person(
        self, users, offering_seen, person_seen
    ):
        offering = OfferingFactory(status="open" if offering_seen else "draft")
        person = PersonFactory(nation=nation("KWT" if person_seen else "BHR"))
        response = api(users["focal"]).post("/api/v1/nominations/", {"offering": offering.pk, "person": person.pk})
        expected = {field for field, seen in (("offering", offering_seen), ("person", person_seen)) if not seen}
        assert response.status_code == 400 and set(response.json()) == expected
        assert not Nomination.objects.exists()

    def test_participant_reads_own_only(self, users):
        mine = PersonFactory(nation=nation("KWT"), user=users["participant"])
        offering = OfferingFactory()
        own = services.nomination_submit(by=users["focal"], offering=offering, person=mine)
        services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        results = api(users["participant"]).get("/api/v1/nominations/").json()["results"]
        assert [n["id"] for n in results] == [own.pk]

    def test_list_query_count_is_constant(self, users):
        offering = OfferingFactory()
        services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        with CaptureQueriesContext(connection) as one:
            api(users["focal"]).get("/api/v1/nominations/")
        for _ in range(5):
            services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        with CaptureQueriesContext(connection) as six:
            api(users["focal"]).get("/api/v1/nominations/")
        assert len(one) == len(six)

    def test_list_counts_from_the_maintained_totals_are_the_visible_nominations(self, users):
        decided = OfferingFactory(director=users["director"])
        for focal, code in ((users["focal"], "KWT"), (users["focal_other"], "BHR")):
            for offering in (decided, OfferingFactory(), OfferingFactory()):
                services.nomination_submit(by=focal, offering=offering, person=PersonFactory(nation=nation(code)))
        first, second = decided.nominations.order_by("pk")[:2]
        services.nomination_decide(by=users["director"], nomination=first, decision="waitlist")
        services.nomination_decide(by=users["director"], nomination=second, decision="accept")
        queries = [
            {},
            {"status": "submitted"},
            {"status": ["accepted", "waitlisted"]},
            {"nation": "KWT"},
            {"nation": "BHR", "status": "submitted"},
            {"nation": "NOPE"},
            {"offering": decided.pk},
        ]
        for who in ("focal", "focal_other", "admin", "observer", "participant"):
            for query in queries:
                body = api(users[who]).get("/api/v1/nominations/", query).json()
                visible = Nomination.objects.visible_to(users[who])
                if "status" in query:
                    statuses = query["status"]
                    visible = visible.filter(status__in=[statuses] if isinstance(statuses, str) else statuses)
                if "nation" in query:
                    visible = visible.filter(nation__code=query["nation"])
                if "offering" in query:
                    visible = visible.filter(offering=query["offering"])
                assert body["count"] == visible.count(), (who, query)
                assert sorted(n["id"] for n in body["results"]) == sorted(visible.values_list("pk", flat=True))
        # Staff's list of everyone's nominations counts none of them: the totals say how many.
        with CaptureQueriesContext(connection) as read:
            assert api(users["admin"]).get("/api/v1/nominations/").json()["count"] == 6
        statements = [q["sql"] for q in read.captured_queries]
        assert any("reports_areayearcount" in sql for sql in statements)
        assert not [sql for sql in statements if "COUNT(*)" in sql]
