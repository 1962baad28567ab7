"""Fields kept in both languages, read in the current one."""

from django.utils.translation import get_language


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
