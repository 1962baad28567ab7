from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core import forms as core_forms
from partners.models import Area, Nation
from training.models import LANGUAGE_CHOICES, Course, Offering, Status


class CatalogueFilterForm(core_forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Title, code or venue, in Arabic or English")}),
    )
    area = core_forms.ReferenceChoiceField(Area, label=_("Area"), required=False, empty_label=_("All areas"))
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Choose a month as YYYY-MM.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + [(s.value, s.label) for s in Status if s != Status.DRAFT],
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Coming and under way")), ("past", _("Past")), ("all", _("All dates"))],
    )


class CourseForm(core_forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Course
        fields = [
            "code",
            "area",
            "title_en",
            "title_ar",
            "summary_en",
            "summary_ar",
            "objectives_en",
            "objectives_ar",
            "audience_en",
            "audience_ar",
            "prerequisites_en",
            "prerequisites_ar",
            "duration_days",
            "languages",
            "active",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "summary_en",
                "summary_ar",
                "objectives_en",
                "objectives_ar",
                "audience_en",
                "audience_ar",
                "prerequisites_en",
                "prerequisites_ar",
            ]
        } | {"title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_list
        for name in self.fields:
            if name.endswith("_ar"):
                self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "ar"})
            elif name.endswith("_en"):
                self.fields[name].widget.attrs.update({"dir": "ltr", "lang": "en"})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OfferingForm(core_forms.ModelForm):
    class Meta:
        model = Offering
        fields = [
            "course",
            "code",
            "start_date",
            "end_date",
            "nomination_deadline",
            "venue_en",
            "venue_ar",
            "capacity",
            "admission",
            "completion_threshold",
            "director",
            "instructors",
            "joining_instructions_en",
            "joining_instructions_ar",
        ]
        widgets = {
            "joining_instructions_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
            "joining_instructions_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "nomination_deadline": DateInput(),
            "instructors": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["course"].queryset = Course.objects.filter(active=True) | Course.objects.filter(
            pk=self.instance.course_id or 0
        )
        self.fields["director"].queryset = users.filter(role__in=[Role.DIRECTOR, Role.ADMIN])
        self.fields["instructors"].queryset = users.filter(role=Role.INSTRUCTOR)
        self.fields["venue_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})

    def clean(self):
        """The service's own checks, so that every error shows at once next to its field."""
        data = super().clean()
        from training import services

        probe = Offering(
            **{
                k: data.get(k)
                for k in ("start_date", "end_date", "nomination_deadline", "capacity", "completion_threshold")
            }
        )
        probe.seats_taken = self.instance.seats_taken if self.instance.pk else 0
        try:
            services.validate_offering(probe)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return data


class QuotaForm(core_forms.Form):
    nation = forms.ModelChoiceField(
        label=_("Nation"), queryset=Nation.objects.all(), required=False, to_field_name="code"
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        if data.get("nation") and data.get("seats") is None:
            self.add_error("seats", _("Give the number of seats for this nation."))
        if data.get("seats") is not None and not data.get("nation"):
            self.add_error("nation", _("Choose the nation these seats are for."))
        return data


class BaseQuotaFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            nation = form.cleaned_data.get("nation") if hasattr(form, "cleaned_data") else None
            if nation in seen:
                form.add_error("nation", _("This nation already has a quota above."))
            if nation:
                seen.add(nation)

    def quotas(self):
        return {f.cleaned_data["nation"]: f.cleaned_data["seats"] for f in self.forms if f.cleaned_data.get("nation")}


QuotaFormSet = forms.formset_factory(QuotaForm, formset=BaseQuotaFormSet, extra=3)


class TransitionForm(core_forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
