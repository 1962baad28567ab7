"""The shortcuts that draw pages faster must draw them as Django would."""

import re

import pytest
from django import forms
from django.contrib.auth import SESSION_KEY
from django.core.paginator import Paginator
from django.forms.renderers import TemplatesSetting
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from accounts.models import User
from accounts.sessions import SessionStore
from core.forms import Form
from core.tables import BoundedPaginator
from core.templatetags.shiraka import pager, sort_header, status_badge
from nominations.models import Nomination
from partners.models import Nation
from people.forms import PeopleFilterForm
from training.models import Offering


class Everything(Form):
    text = forms.CharField(
        label="Name <b>",
        widget=forms.TextInput(attrs={"placeholder": 'say "hi"', "autofocus": True, "readonly": False}),
    )
    search = forms.CharField(required=False, widget=forms.SearchInput)
    email = forms.EmailField(required=False, help_text="We write <em>once</em>.")
    number = forms.IntegerField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(required=False, widget=forms.HiddenInput)
    agreed = forms.BooleanField(required=False, label="I agree")


@pytest.mark.parametrize("data", [None, {"text": '<x">&', "number": "nine", "agreed": "on", "email": "a@b.org"}])
def test_inputs_and_field_groups_are_written_as_djangos_templates_write_them(data):
    form = Everything(data)
    if data:
        form.is_valid()
    django_templates = TemplatesSetting()
    for field in form:
        widget = field.field.widget
        context = widget.get_context(field.html_name, field.value(), field.build_widget_attrs({"id": field.auto_id}))
        assert form.renderer.render(widget.template_name, context) == django_templates.render(
            widget.template_name, context
        )
        written = field.as_field_group()
        from_template = render_to_string("core/field.html", {"field": field})
        assert " ".join(written.split()).replace("> <", "><") == " ".join(from_template.split()).replace("> <", "><")
    if data:
        assert 'value="&lt;x&quot;&gt;&amp;"' in str(form["text"])
        assert "Enter a whole number." in form["number"].as_field_group()


class Choosing(Form):
    pick = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("a&b", "Arms & <Borders>"), ("7", "Seven")],
        widget=forms.Select(attrs={"data-x": 'q"', "hidden": True, "title": None}),
    )


@pytest.mark.parametrize("chosen", ["a&b", "7", "a&b"])
def test_a_select_escapes_its_options_and_marks_the_chosen_one_whichever_it_is(chosen):
    """Its options are escaped once for all pages (core.forms._escaped_choices)."""
    form = Choosing({"pick": chosen})
    assert form.is_valid()
    options = {"": "Any", "a&amp;b": "Arms &amp; &lt;Borders&gt;", "7": "Seven"}
    selected = chosen.replace("&", "&amp;")
    assert str(form["pick"]) == (
        '<select data-x="q&quot;" hidden class="form-select" id="id_pick" name="pick">'
        + "".join(
            f'<option value="{v}"{" selected" if v == selected else ""}>{label}</option>'
            for v, label in options.items()
        )
        + "</select>"
    )


def test_a_status_badge_is_kept_per_language():
    nomination = Nomination(status="waitlisted")
    with translation.override("en"):
        assert ">Wait-listed<" in status_badge(nomination)
    with translation.override("ar"):
        arabic = status_badge(nomination)
    assert "Wait-listed" not in arabic and 'data-status="waitlisted"' in arabic
    with translation.override("en"):
        assert ">Wait-listed<" in status_badge(nomination)


@pytest.mark.django_db
def test_a_session_read_with_one_plain_query_signs_in_and_a_deleted_one_does_not(users, django_assert_num_queries):
    client = Client()
    client.force_login(users["director"])
    session_key = client.cookies["sessionid"].value
    with django_assert_num_queries(1):
        assert SessionStore(session_key).load()[SESSION_KEY] == str(users["director"].pk)
    assert client.get("/en/nominations/").status_code == 200
    SessionStore(session_key).delete()
    assert client.get("/en/nominations/").status_code == 302


@pytest.mark.django_db
def test_a_reference_choice_reads_its_rows_once_in_the_readers_order_and_cleans_to_an_id(django_assert_num_queries):
    kuwait = Nation.objects.get(code="KWT")
    with translation.override("ar"), django_assert_num_queries(1):
        form = PeopleFilterForm({"nation": "KWT"})
        assert form.is_valid() and form.cleaned_data["nation"] == kuwait.pk
        drawn = str(form["nation"])
    names = re.findall(r'<option value="[A-Z]+"[^>]*>([^<]+)</option>', drawn)
    assert names == sorted(names) and "الكويت" in names
    assert '<option value="KWT" selected>الكويت</option>' in drawn
    wrong = PeopleFilterForm({"nation": "XXX"})
    assert not wrong.is_valid() and "nation" in wrong.errors


@pytest.mark.django_db
def test_the_pager_keeps_the_filters_and_says_when_there_are_more(rf):
    request = rf.get("/en/people/", {"q": "a&b", "page": "2"})
    assert Nation.objects.count() > 61
    page = BoundedPaginator(Nation.objects.order_by("pk"), 25, cap=60).get_page(2)
    html = pager({"request": request}, page)
    assert "26–50 of more than 60" in html and "2 / 3" in html
    assert 'href="?q=a%26b&amp;page=1" rel="prev"' in html and 'href="?q=a%26b&amp;page=3" rel="next"' in html
    with translation.override("ar"):
        last = pager({"request": request}, Paginator(list(range(60)), 25).get_page(3))
    assert "51–60 من 60" in last and 'rel="next"' not in last and "السابق" in last
    assert pager({"request": request}, Paginator([1], 25).get_page(1)) == ""


def test_sort_headers_keep_the_filters_drop_the_page_and_reverse_on_a_second_click(rf):
    request = rf.get("/en/people/", {"q": "x", "page": "3", "sort": "name"})
    first = sort_header({"request": request}, "name", "Name")
    assert 'href="?q=x&amp;sort=-name"' in first and 'aria-sort="ascending"' in first and "▲" in first
    other = sort_header({"request": request}, "nation", "Nation")
    assert 'href="?q=x&amp;sort=nation"' in other and 'aria-sort="none"' in other


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_choice_labels_kept_per_language_are_djangos_labels(lang):
    cases = [(Nomination, "status"), (Offering, "status"), (Offering, "admission"), (User, "role")]
    with translation.override(lang):
        for model, field in cases:
            for value, label in model._meta.get_field(field).choices:
                assert getattr(model(**{field: value}), f"get_{field}_display")() == str(label)
            assert getattr(model(**{field: "unknown"}), f"get_{field}_display")() == "unknown"
