from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Kind

SCALE = [
    ("5", _("5 — excellent")),
    ("4", _("4 — good")),
    ("3", _("3 — fair")),
    ("2", _("2 — poor")),
    ("1", _("1 — very poor")),
]


class AnswerForm(forms.Form):
    """One field per question of a questionnaire, in the reader's language."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == Kind.LIKERT:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=SCALE,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose a value from 1 to 5.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
                )

    def answers(self):
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
