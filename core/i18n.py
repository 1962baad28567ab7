"""Fields kept in both languages, read in the current one."""

from django.utils.translation import get_language

# Labels of choices, by choices class and language.
_labels = {}


def current_language():
    return "ar" if (get_language() or "en").startswith("ar") else "en"


def reading_order(field, prefix=""):
    """The two language columns of a bilingual field, the reader's language first:
    ["name_ar", "name_en"] in Arabic, ["name_en", "name_ar"] otherwise."""
    first, second = ("ar", "en") if current_language() == "ar" else ("en", "ar")
    return [f"{prefix}{field}_{first}", f"{prefix}{field}_{second}"]


def localized(obj, field):
    """obj.<field>_ar in Arabic, obj.<field>_en otherwise, falling back to the other one."""
    first, second = reading_order(field)
    return getattr(obj, first) or getattr(obj, second)


class BilingualNameMixin:
    @property
    def name(self):
        return localized(self, "name")


def choice_label(choices, value):
    """The label of `value` among a choices class's, in the current language (the value itself
    if it is not one of them). The labels are translated once per language and kept: Django's
    get_FOO_display translates every choice of the field on each call."""
    key = (choices, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {choice: str(label) for choice, label in choices.choices}
    return labels.get(value, value)
