"""Forms look alike everywhere: Bootstrap classes, errors under their field."""

from html import escape

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeData, mark_safe

from core import references
from core.i18n import reading_order

# Widgets drawn by Django's input.html, whatever their type.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "search", "email", "url", "tel", "number", "password", "hidden", "date", "time",
                 "datetime", "checkbox")
}  # fmt: skip


def _escaped(value):
    """conditional_escape, without its check of the argument for a lazy translation (it is
    forced here) on every option of every select."""
    return value if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs):
    """As Django's flatatt: False and None leave the attribute out, True writes its name alone.
    (flatatt itself escapes through format_html: half the cost of drawing a select.)"""
    written = []
    for name, value in attrs.items():
        if value is True:
            written.append(f" {_escaped(name)}")
        elif value is not False and value is not None:
            written.append(f' {_escaped(name)}="{_escaped(value)}"')
    return "".join(written)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_escaped(widget["value"])}"'
    kind, name = _escaped(widget["type"]), _escaped(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _field_group(field):
    """As templates/core/field.html: the label, the widget, the help text and the errors."""
    errors = "".join(f'<div class="invalid-feedback d-block">{_escaped(e)}</div>' for e in field.errors)
    help_text = f'<div class="form-text">{field.help_text}</div>' if field.help_text else ""
    if field.widget_type == "checkbox":
        return (
            f'<div class="form-check mb-3">{field}<label class="form-check-label" for="{field.auto_id}">'
            f"{_escaped(field.label)}</label>{help_text}{errors}</div>"
        )
    label = ""
    if field.label:
        required = " required" if field.field.required else ""
        label = f'<label class="form-label{required}" for="{field.auto_id}">{_escaped(field.label)}</label>'
    return f'<div class="mb-3">{label}{field}{help_text}{errors}</div>'


class BootstrapFormRenderer(TemplatesSetting):
    """Fields and inputs written in Python, the rest from templates. A filter form drawn through
    Django's templates (a field group, its widget, the widget's attributes) cost a list page
    about as much as its rows."""

    form_template_name = "core/form.html"
    field_template_name = "core/field.html"

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return mark_safe(_input(context["widget"]))
        if template_name == self.field_template_name and "field" in context:
            return mark_safe(_field_group(context["field"]))
        return super().render(template_name, context, request)


class FastSelect(forms.Select):
    """A select whose options are written in Python. Django renders each option through its own
    template, which makes a list of 150 nations cost milliseconds on every page that filters."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{v}" selected>{label}</option>'
            if raw in chosen
            else f'<option value="{v}">{label}</option>'
            for raw, v, label in _escaped_choices(tuple((str(v), str(label)) for v, label in self.choices))
        )
        return mark_safe(f"<select{_attrs(attrs)}>{options}</select>")


_escaped_sets = {}


def _escaped_choices(choices):
    """(value, escaped value, escaped label) of each choice, escaped once for each set of choices
    (a language's nations, say): escaping the 150 nations' names took a third of a people page's
    filters."""
    found = _escaped_sets.get(choices)
    if found is None:
        if len(_escaped_sets) >= 100:  # sets met: a few per list and language
            _escaped_sets.clear()
        found = _escaped_sets[choices] = [(v, _escaped(v), _escaped(label)) for v, label in choices]
    return found


class ReferenceChoiceField(forms.ChoiceField):
    """A choice of a reference row (an area, a nation) by its code, cleaned to its id. The rows
    are read once per form as values, in the reader's language's order: a ModelChoiceField reads
    the table twice (to check the choice, then to draw it) and builds an instance per option,
    150 nations on every list a staff member filters."""

    def __init__(self, model, *, empty_label, **kwargs):
        super().__init__(**kwargs)
        self.model, self.empty_label, self._rows = model, empty_label, None
        self.widget.choices = _ReferenceChoices(self)

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)
        field._rows = None
        field.widget.choices = _ReferenceChoices(field)
        return field

    def rows(self):
        """{code: (id, name)} in the reader's order."""
        if self._rows is None:
            rows = references.rows(self.model, *reading_order("name"))
            self._rows = {code: (pk, name or other) for code, pk, name, other in rows}
        return self._rows

    def valid_value(self, value):
        return value in self.rows()

    def clean(self, value):
        code = super().clean(value)
        return self.rows()[code][0] if code else None


class _ReferenceChoices(BaseChoiceIterator):
    """The options of a ReferenceChoiceField, read when first drawn or checked."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        yield "", self.field.empty_label
        for code, (_pk, name) in self.field.rows().items():
            yield code, name


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = ""
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class Form(BootstrapMixin, forms.Form):
    pass


class ModelForm(BootstrapMixin, forms.ModelForm):
    pass


def apply_validation_error(form, error):
    """Put a ValidationError raised by a service onto the form, field by field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
