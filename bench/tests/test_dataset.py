import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from certificates.models import Certificate, CertificateCounter
from evaluations import services as evaluations
from evaluations.models import Answer, Questionnaire, QuestionnaireTemplate, Respondent, Response
from nominations.models import Nomination
from people.models import Person
from reports.counts import recount
from reports.models import STATES, NominationCount
from training.models import Offering, Quota

SEATED = ["accepted", "completed", "incomplete", "no_show"]


def counts():
    return sorted(
        (c.year, c.nation_id, c.area_id, *[getattr(c, s) for s in STATES]) for c in NominationCount.objects.all()
    )


@pytest.mark.django_db
def test_small_data_set_keeps_every_rule_of_the_services():
    call_command("generate_dataset", "--scale", "0.003", "--seed", "7")
    assert Offering.objects.count() >= 300 and Person.objects.count() >= 1000
    states = set(Nomination.objects.values_list("status", flat=True))
    assert set(STATES) <= states  # every state a nomination can be in
    # Numbered as a registry grows: a nation's people are not one block of ids.
    kuwaitis = list(Person.objects.filter(nation__code="KWT").values_list("pk", flat=True))
    assert max(kuwaitis) - min(kuwaitis) + 1 > 2 * len(kuwaitis)
    for offering in Offering.objects.annotate(seated=Count("nominations", filter=Q(nominations__status__in=SEATED))):
        assert offering.seated == offering.seats_taken <= offering.capacity, offering.code
    for quota in Quota.objects.all():
        seated = Nomination.objects.filter(offering=quota.offering_id, nation=quota.nation_id, status__in=SEATED)
        assert seated.count() == quota.seats_taken <= quota.seats
    # A certificate for each completed nomination, printing its person's names, numbered by year
    # as the services number them, and the counters at each year's last number.
    assert Certificate.objects.count() == Nomination.objects.filter(status="completed").count() > 0
    for c in Certificate.objects.select_related("nomination__person", "nomination__offering")[:300]:
        person, offering = c.nomination.person, c.nomination.offering
        assert c.nomination.status == "completed" and (c.name_en, c.name_ar) == (person.name_en, person.name_ar)
        assert c.number.startswith(f"ICI-{offering.end_date.year}-") and c.end_date == offering.end_date
        assert c.nation_id == c.nomination.nation_id
    by_year = Certificate.objects.values_list(ExtractYear("end_date")).annotate(n=Count("pk"))
    assert dict(CertificateCounter.objects.values_list("year", "last")) == dict(by_year)
    # Evaluations: a questionnaire for each completed offering, as the services make it; answers
    # only from those who attended, once each, and results as the reports show them.
    completed = Offering.objects.filter(status="completed")
    assert set(Questionnaire.objects.values_list("offering", flat=True)) == set(completed.values_list("pk", flat=True))
    standard = QuestionnaireTemplate.objects.get(is_default=True)
    questionnaire = Questionnaire.objects.filter(respondents__isnull=False).first()
    assert list(questionnaire.questions.values_list("source", "kind", "text_ar")) == list(
        standard.questions.values_list("pk", "kind", "text_ar")
    )
    respondents = Respondent.objects.select_related("nomination__offering", "questionnaire")
    assert respondents.count() == Response.objects.count() > 0
    assert all(
        r.nomination.status in ("completed", "incomplete") and r.nomination.offering_id == r.questionnaire.offering_id
        for r in respondents
    )
    attended = Nomination.objects.filter(offering__status="completed", status__in=["completed", "incomplete"])
    assert 0.4 < respondents.count() / attended.count() < 0.7
    assert set(Answer.objects.exclude(value=None).values_list("value", flat=True)) == {1, 2, 3, 4, 5}
    assert Answer.objects.exclude(text="").exists()
    shown = evaluations.offering_results(Questionnaire.objects.annotate(n=Count("respondents")).filter(n__gte=3)[0])
    assert shown["shown"] and 1 <= shown["questions"][0]["average"] <= 5
    assert evaluations.course_results(questionnaire.offering.course)["respondents"] >= 1
    kept = counts()
    recount()
    assert counts() == kept
    # Search works on the bulk-written records, spelling variants included.
    assert Offering.objects.search("البحري").exists() and Person.objects.search("Mohamed").exists()
    # The documents are those a save writes: a saved offering keeps its shared document.
    for offering in Offering.objects.select_related("course").order_by("?")[:100]:
        written = offering.search_document
        offering.refresh_search_document()
        assert offering.search_document == written, offering.code
