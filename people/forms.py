from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from partners.models import Nation
from people.models import Person


class PersonForm(core_forms.ModelForm):
    """Staff choose the nation; a focal point's people are always their own nation's."""

    class Meta:
        model = Person
        fields = ["nation", "name_ar", "name_en", "rank", "position", "organization", "email", "phone", "language"]
        widgets = {
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar", "autocomplete": "off"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nation"].queryset = Nation.objects.all()
        self.fields["nation"].to_field_name = "code"
        if user is not None and not user.is_centre_staff:
            del self.fields["nation"]
            if self.instance.nation_id is None:
                self.instance.nation = user.nation

    def clean(self):
        data = super().clean()
        if not data.get("name_ar") and not data.get("name_en"):
            self.add_error("name_ar", _("Give the name in Arabic, in Latin script, or both."))
        return data


class PeopleFilterForm(core_forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name in either script, e-mail or phone")}),
    )
    nation = core_forms.ReferenceChoiceField(Nation, label=_("Nation"), required=False, empty_label=_("All nations"))


class MergeForm(core_forms.Form):
    merged = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
