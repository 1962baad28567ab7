from django.conf import settings

from core.i18n import current_language


def site(request):
    lang = current_language()
    return {
        "centre_name": settings.CENTRE_NAME_AR if lang == "ar" else settings.CENTRE_NAME_EN,
    }
