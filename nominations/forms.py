from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from nominations.models import NominationStatus
from partners.models import Nation
from people.models import Person
from training.models import Offering


class DecisionForm(core_forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("waitlist", _("Wait-list")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class ReasonForm(core_forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class NominationFilterForm(core_forms.Form):
    q = forms.CharField(
        label=_("Person"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name in either script")}),
    )
    offering = forms.CharField(
        label=_("Offering"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Offering code")})
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    nation = core_forms.ReferenceChoiceField(Nation, label=_("Nation"), required=False, empty_label=_("All nations"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *NominationStatus.choices]
        if user is None or not user.sees_all_nations:
            del self.fields["nation"]

    def apply(self, nominations):
        return filter_nominations(nominations, self.cleaned_data)


def filter_nominations(nominations, data):
    """`nominations` narrowed by a valid NominationFilterForm's cleaned data (a nation by its id)."""
    if data.get("q"):
        nominations = nominations.filter(person__in=Person.objects.search(data["q"]).values("pk"))
    if data.get("offering"):
        code = data["offering"].strip()
        nominations = nominations.filter(offering__in=Offering.objects.filter(code__istartswith=code).values("pk"))
    if data.get("status"):
        nominations = nominations.filter(status=data["status"])
    if data.get("nation"):
        nominations = nominations.filter(nation=data["nation"])
    return nominations
