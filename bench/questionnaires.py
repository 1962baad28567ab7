"""Evaluations in the data set: each completed offering's questionnaire, copied from the standard
template as the services copy it when an offering completes, and the anonymous answers of about
half of those who attended. Drawn from the offering's and each nomination's id, as certificates
are, so that the rest of the set stays as it was."""

import hashlib
import uuid
from datetime import timedelta

from evaluations.defaults import ensure_default_template
from evaluations.models import Answer, Question, Questionnaire, QuestionnaireTemplate, Respondent, Response

MODELS = [Questionnaire, Question, Respondent, Response, Answer]
FIELDS = {
    Questionnaire: ["id", "offering", "template", "created_at"],
    Question: ["id", "questionnaire", "source", "order", "kind", "text_en", "text_ar"],
    Respondent: ["id", "questionnaire", "nomination", "answered_at"],
    Response: ["id", "questionnaire"],
    Answer: ["id", "response", "question", "value", "text"],
}
# Of 256: who answers (about 55 %).
ANSWERS = 141
USEFUL = [
    "The exercises with colleagues from other nations.",
    "The case studies from the region.",
    "Meeting the other participants and sharing experience.",
    "The session on international law was excellent.",
    "التمارين العملية مع زملاء من دول أخرى.",
    "دراسات الحالة من منطقة الخليج.",
    "تبادل الخبرات مع المشاركين.",
    "المحاضرات عن التخطيط الاستراتيجي.",
]
CHANGE = [
    "More time for the exercises, fewer lectures.",
    "Send the reading material before the course.",
    "Interpretation into Arabic for every session.",
    "The course could be a day longer.",
    "تخصيص وقت أطول للنقاش.",
    "إرسال المواد قبل بدء الدورة بوقت كاف.",
    "توفير الترجمة الفورية في جميع الجلسات.",
]
# The free-text questions in their order (what was useful, what to change): the comments drawn
# for each, and of 256 who writes one (a quarter, a seventh).
COMMENTS = [(USEFUL, 64), (CHANGE, 38)]


def template():
    """(id, [(question id, order, kind, text_en, text_ar)]) of the standard template."""
    ensure_default_template()
    standard = QuestionnaireTemplate.objects.filter(is_default=True).order_by("pk").first()
    questions = standard.questions.values_list("pk", "order", "kind", "text_en", "text_ar")
    return standard.pk, list(questions)


def _value(byte, shift):
    """1–5, mostly 4 and 5, shifted by the offering's quality."""
    byte = min(max(byte + shift, 0), 255)
    return 1 if byte < 13 else 2 if byte < 33 else 3 if byte < 77 else 4 if byte < 166 else 5


def _uuid(text):
    return uuid.UUID(bytes=hashlib.blake2b(text.encode(), digest_size=16).digest(), version=4)


def add(rows, ids, offering, end, attended, standard, at):
    """The questionnaire of a completed offering and the answers of those of `attended`
    (nomination ids) who answered it; `at(day, hour)` makes a time."""
    template_pk, questions = standard
    questionnaire = ids.take(Questionnaire)
    rows[Questionnaire].append((questionnaire, offering, template_pk, at(end, 18)))
    asked, texts = [], 0
    for source, order, kind, text_en, text_ar in questions:
        pk = ids.take(Question)
        rows[Question].append((pk, questionnaire, source, order, kind, text_en, text_ar))
        comments = None
        if kind != "likert":
            comments, texts = COMMENTS[texts % len(COMMENTS)], texts + 1
        asked.append((pk, comments))
    shift = hashlib.blake2b(f"quality-{offering}".encode(), digest_size=1).digest()[0] // 8 - 16
    for nomination in attended:
        drawn = hashlib.blake2b(f"evaluation-{nomination}".encode(), digest_size=32).digest()
        if drawn[0] >= ANSWERS:
            continue
        answered = at(end + timedelta(days=drawn[1] % 10), 20)
        rows[Respondent].append((ids.take(Respondent), questionnaire, nomination, answered))
        # Made up data: an id drawn from the nomination keeps the set the same for a seed. The
        # services give a response a random id, which ties it to nobody.
        response = _uuid(f"response-{nomination}")
        rows[Response].append((response, questionnaire))
        for i, (question, comments) in enumerate(asked):
            byte = drawn[2 + i]
            if comments is None:
                value, text = _value(byte, shift), ""
            elif byte < comments[1]:
                value, text = None, comments[0][drawn[20 + i] % len(comments[0])]
            else:
                continue
            rows[Answer].append((_uuid(f"answer-{nomination}-{i}"), response, question, value, text))
