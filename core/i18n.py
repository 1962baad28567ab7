"""Fields kept in both languages, read in the current one."""

from django.utils.translation import get_language


def current_language():
    return "ar" if (get_language() or "en").startswith("ar") else "en"


def localized(obj, field):
    """obj.<field>_ar in Arabic, obj.<field>_en otherwise, falling back to the other one."""
    first, second = ("ar", "en") if current_language() == "ar" else ("en", "ar")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class BilingualNameMixin:
    @property
    def name(self):
        return localized(self, "name")
