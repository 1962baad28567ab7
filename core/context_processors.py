from django.conf import settings

from core.i18n import current_language


def menu_key(user):
    """What the main menu depends on besides the language and the section: the base template
    keeps one rendering of the menu per value."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.role}-{user.is_centre_admin:d}-{user.is_focal_point:d}"


def site(request):
    lang = current_language()
    return {
        "centre_name": settings.CENTRE_NAME_AR if lang == "ar" else settings.CENTRE_NAME_EN,
        "menu_key": menu_key(getattr(request, "user", None)),
    }
