"""Questionnaires, anonymous answers, and results once enough have answered."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed
from evaluations.models import (
    MIN_RESPONSES,
    Answer,
    Kind,
    Question,
    Questionnaire,
    QuestionnaireTemplate,
    Respondent,
    Response,
    TemplateQuestion,
)
from nominations.models import NominationStatus
from training.models import Status

# Who attended, and so may say what they thought.
ANSWERING = [NominationStatus.COMPLETED, NominationStatus.INCOMPLETE]


@transaction.atomic
def questionnaire_create(*, offering, template=None):
    """The offering's questionnaire from `template` (the default one if none), made once."""
    existing = Questionnaire.objects.filter(offering=offering).first()
    if existing:
        return existing
    template = template or QuestionnaireTemplate.objects.filter(is_default=True).first()
    if template is None:
        return None
    questionnaire = Questionnaire.objects.create(offering=offering, template=template)
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire, source=q, order=q.order, kind=q.kind, text_en=q.text_en, text_ar=q.text_ar
        )
        for q in template.questions.all()
    )
    return questionnaire


def may_answer(user, nomination):
    person = getattr(nomination, "person", None)
    return (
        person is not None
        and person.user_id == getattr(user, "pk", None)
        and nomination.status in ANSWERING
        and nomination.offering.status == Status.COMPLETED
    )


@transaction.atomic
def evaluation_submit(*, by, nomination, answers):
    """Record a participant's answers, once. `answers` maps question ids to 1–5 or to text."""
    if not may_answer(by, nomination):
        raise NotAllowed(_("Only the participants of a completed offering answer its questionnaire."))
    questionnaire = Questionnaire.objects.filter(offering=nomination.offering).first()
    if questionnaire is None:
        raise DomainError(_("This offering has no questionnaire."), "no_questionnaire")
    if Respondent.objects.filter(nomination=nomination).exists():
        raise DomainError(_("You have already answered this questionnaire."), "already_answered")
    errors, rows = {}, []
    for question in questionnaire.questions.all():
        raw = answers.get(question.pk, answers.get(str(question.pk), ""))
        raw = "" if raw is None else str(raw).strip()
        if question.kind == Kind.LIKERT:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[f"q{question.pk}"] = _("Choose a value from 1 to 5.")
                continue
            rows.append((question, int(raw), ""))
        elif raw:
            rows.append((question, None, raw[:5000]))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            Respondent.objects.create(questionnaire=questionnaire, nomination=nomination)
    except IntegrityError:
        raise DomainError(_("You have already answered this questionnaire."), "already_answered") from None
    response = Response.objects.create(questionnaire=questionnaire)
    Answer.objects.bulk_create(Answer(response=response, question=q, value=v, text=t) for q, v, t in rows)
    return response


def _summaries(answers, questions, key="question"):
    """Per question: average and 1–5 distribution (scales), or the comments (text). `key` is
    the field answers are grouped by: their question, or the template question it came from."""
    counts = answers.filter(value__isnull=False).values_list(key, "value").annotate(n=Count("pk"))
    values = {(question, value): n for question, value, n in counts}
    comments = {}
    for question_id, text in answers.exclude(text="").order_by("text").values_list(key, "text"):
        comments.setdefault(question_id, []).append(text)
    out = []
    for pk, question in questions:
        if question.kind == Kind.LIKERT:
            distribution = [values.get((pk, v), 0) for v in range(1, 6)]
            answered = sum(distribution)
            # From the distribution rather than a second pass over the answers (a course's
            # report reads thousands of them).
            average = sum(v * n for v, n in enumerate(distribution, start=1)) / answered if answered else None
            out.append({"question": question, "average": average, "distribution": distribution, "answers": answered})
        else:
            out.append({"question": question, "comments": comments.get(pk, [])})
    return out


def offering_results(questionnaire):
    """The offering's results; only counts while fewer than MIN_RESPONSES have answered."""
    count = questionnaire.respondents.count()
    if count < MIN_RESPONSES:
        return {"respondents": count, "shown": False}
    answers = Answer.objects.filter(response__questionnaire=questionnaire)
    questions = [(q.pk, q) for q in questionnaire.questions.all()]
    return {"respondents": count, "shown": True, "questions": _summaries(answers, questions)}


def course_results(course):
    """Across the course's offerings whose results are shown, grouped by template question."""
    shown = [
        q
        for q in Questionnaire.objects.filter(offering__course=course).annotate(n=Count("respondents", distinct=True))
        if q.n >= MIN_RESPONSES
    ]
    if not shown:
        return {"offerings": 0, "respondents": 0, "shown": False}
    # The template questions asked, read once each rather than with every offering's copy.
    asked = Question.objects.filter(questionnaire__in=shown, source__isnull=False).values("source")
    ordered = [(q.pk, q) for q in TemplateQuestion.objects.filter(pk__in=asked).order_by("order", "pk")]
    answers = Answer.objects.filter(response__questionnaire__in=shown, question__source__isnull=False)
    return {
        "offerings": len(shown),
        "respondents": sum(q.n for q in shown),
        "shown": True,
        "questions": _summaries(answers, ordered, key="question__source"),
    }
