from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.visibility import is_centre_staff


def staff_required(view):
    """Centre staff only: others are sent to log in, or refused."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_centre_staff(request.user):
            raise PermissionDenied(_("This page is for centre staff."))
        return view(request, *args, **kwargs)

    return wrapper


def home(request):
    return redirect("training:catalogue")


def about(request):
    """What the centre and Shiraka are; the page reads nothing from the database."""
    return render(request, "core/about.html", {"nav": "about"})


def is_htmx(request):
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
