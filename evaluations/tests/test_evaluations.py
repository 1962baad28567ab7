import pytest
from django.urls import reverse
from django.utils import translation

from attendance.tests.test_attendance import mark, running_offering
from core.errors import DomainError, NotAllowed
from core.testing.factories import UserFactory
from evaluations import services
from evaluations.models import Answer, Kind, Questionnaire, Respondent, Response
from training import services as training


def url(name, lang, *args):
    with translation.override(lang):
        return reverse(name, args=args)


def attended(users, people=4):
    """A completed offering whose participants each have a user account."""
    offering, accepted = running_offering(users, days=2, people=people)
    for nomination in accepted:
        mark(users["director"], offering, nomination, [0, 1])
        person = nomination.person
        person.user = UserFactory(role="participant", nation=person.nation)
        type(person).objects.filter(pk=person.pk).update(user=person.user)
    training.offering_transition(by=users["director"], offering=offering, to="completed")
    for nomination in accepted:
        nomination.refresh_from_db()
    return offering, accepted


def answers_for(questionnaire, value="4", text="Useful"):
    return {q.pk: value if q.kind == Kind.LIKERT else text for q in questionnaire.questions.all()}


@pytest.mark.django_db
class TestAnswering:
    def test_completion_makes_the_questionnaire_from_the_default_template(self, users):
        offering, _ = attended(users)
        questionnaire = Questionnaire.objects.get(offering=offering)
        assert questionnaire.questions.filter(kind=Kind.LIKERT).count() >= 5
        assert all(q.text_ar and q.text_en for q in questionnaire.questions.all())

    def test_answers_are_stored_without_the_person_once(self, users):
        offering, (first, *_rest) = attended(users)
        questionnaire = offering.questionnaire
        services.evaluation_submit(by=first.person.user, nomination=first, answers=answers_for(questionnaire))
        assert Respondent.objects.get().nomination == first
        response = Response.objects.get()
        assert {f.name for f in Response._meta.get_fields()} == {"id", "questionnaire", "answers"}
        assert Answer.objects.filter(response=response).count() == questionnaire.questions.count()
        with pytest.raises(DomainError):
            services.evaluation_submit(by=first.person.user, nomination=first, answers=answers_for(questionnaire))

    def test_someone_else_cannot_answer_for_a_participant(self, users):
        offering, (first, second, *_rest) = attended(users)
        with pytest.raises(NotAllowed):
            services.evaluation_submit(
                by=second.person.user, nomination=first, answers=answers_for(offering.questionnaire)
            )

    def test_every_scale_question_needs_a_value(self, users):
        offering, (first, *_rest) = attended(users)
        answers = answers_for(offering.questionnaire)
        likert = offering.questionnaire.questions.filter(kind=Kind.LIKERT).first()
        answers[likert.pk] = "7"
        with pytest.raises(Exception) as refused:
            services.evaluation_submit(by=first.person.user, nomination=first, answers=answers)
        assert f"q{likert.pk}" in refused.value.message_dict
        assert not Respondent.objects.exists()

    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_answering_through_the_page_in_the_participants_language(self, as_user, users, lang):
        offering, (first, *_rest) = attended(users)
        client = as_user(first.person.user)
        page = client.get(url("evaluations:answer", lang, first.pk)).content.decode()
        question = offering.questionnaire.questions.first()
        assert (question.text_ar if lang == "ar" else question.text_en) in page
        form = {f"q{q.pk}": "5" if q.kind == Kind.LIKERT else "" for q in offering.questionnaire.questions.all()}
        assert client.post(url("evaluations:answer", lang, first.pk), form).status_code == 302
        assert Respondent.objects.filter(nomination=first).exists()


@pytest.mark.django_db
class TestResults:
    def test_hidden_below_three_then_averages_distributions_and_comments(self, as_user, users):
        offering, accepted = attended(users, people=4)
        questionnaire = offering.questionnaire
        for nomination, value in zip(accepted[:2], ["5", "3"], strict=True):
            services.evaluation_submit(
                by=nomination.person.user, nomination=nomination, answers=answers_for(questionnaire, value)
            )
        assert services.offering_results(questionnaire) == {"respondents": 2, "shown": False}
        page = as_user(users["director"]).get(url("evaluations:offering", "en", offering.code)).content.decode()
        assert 'data-testid="too-few"' in page and "5" not in page.split('data-testid="too-few"')[1][:40]
        third = accepted[2]
        services.evaluation_submit(
            by=third.person.user, nomination=third, answers=answers_for(questionnaire, "4", "More exercises")
        )
        results = services.offering_results(questionnaire)
        first = results["questions"][0]
        assert results["shown"] and first["average"] == 4 and first["distribution"] == [0, 0, 1, 1, 1]
        comments = next(q for q in results["questions"] if "comments" in q)["comments"]
        assert sorted(comments) == ["More exercises", "Useful", "Useful"]
        page = as_user(users["director"]).get(url("evaluations:offering", "ar", offering.code)).content.decode()
        assert "More exercises" in page and 'data-testid="average">4' in page

    def test_results_are_for_the_director_not_for_focal_points(self, as_user, users):
        offering, _ = attended(users)
        assert as_user(users["focal"]).get(url("evaluations:offering", "en", offering.code)).status_code == 403
        assert as_user(users["director_other"]).get(url("evaluations:offering", "en", offering.code)).status_code == 403

    def test_course_report_across_offerings(self, as_user, users, django_assert_num_queries):
        one, first = attended(users, people=3)
        two, second = attended(users, people=3)
        type(two).objects.filter(pk=two.pk).update(course=one.course)
        for nomination in [*first, *second]:
            services.evaluation_submit(
                by=nomination.person.user,
                nomination=nomination,
                answers=answers_for(nomination.offering.questionnaire, "5" if nomination in first else "3"),
            )
        # However many offerings: the questionnaires, the questions asked, the counts, the comments.
        with django_assert_num_queries(4):
            results = services.course_results(one.course)
        assert results["offerings"] == 2 and results["respondents"] == 6
        assert results["questions"][0]["average"] == 4
        page = as_user(users["admin"]).get(url("evaluations:course", "en", one.course.code))
        assert page.status_code == 200
