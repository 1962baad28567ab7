"""Course evaluations. Answers are anonymous: a `Response` carries no person, no time and a
random id, so neither its order nor its timing ties it to the `Respondent` record that says
who has answered."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized

# Results are shown only from this many answers, so that no answer can be traced to a person.
MIN_RESPONSES = 3


class Kind(models.TextChoices):
    LIKERT = "likert", _("Scale of 1 to 5")
    TEXT = "text", _("Free text")


class QuestionnaireTemplate(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    is_default = models.BooleanField(_("used for new offerings"), default=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("questionnaire template")
        verbose_name_plural = _("questionnaire templates")

    def __str__(self):
        return localized(self, "name")


class TemplateQuestion(models.Model):
    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.LIKERT)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_ar = models.CharField(_("question (Arabic)"), max_length=300)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")

    def __str__(self):
        return localized(self, "text")


class Questionnaire(models.Model):
    """An offering's questionnaire: the template's questions as they were when it was made."""

    offering = models.OneToOneField("training.Offering", on_delete=models.CASCADE, related_name="questionnaire")
    template = models.ForeignKey(QuestionnaireTemplate, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return str(self.offering)


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    source = models.ForeignKey(TemplateQuestion, null=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text_en = models.CharField(max_length=300)
    text_ar = models.CharField(max_length=300)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return localized(self, "text")

    @property
    def text(self):
        return localized(self, "text")


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")

    def __str__(self):
        return str(self.id)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__range=(1, 5)), name="answer_on_the_scale"
            )
        ]

    def __str__(self):
        return f"{self.question_id}: {self.value or self.text[:20]}"


class Respondent(models.Model):
    """That a participant has answered, and when; not what."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="respondents")
    nomination = models.OneToOneField("nominations.Nomination", on_delete=models.CASCADE, related_name="respondent")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self):
        return f"{self.nomination_id}"
