"""Who may see what, in one place.

Every scoped model's manager is built on `ScopedQuerySet` and implements `visible_to(user)`.
Views use `VisibleMixin` and the API `VisibleViewSet` (core.api); neither filters by hand, and
an object outside a user's reach is simply not in the queryset, so it answers 404.
"""

from django.db import models
from django.http import Http404


def is_centre_staff(user):
    return bool(getattr(user, "is_centre_staff", False))


def is_centre_admin(user):
    return bool(getattr(user, "is_centre_admin", False))


def sees_all_nations(user):
    return bool(getattr(user, "sees_all_nations", False))


def nation_id_of(user):
    """The nation a focal point or participant acts for; None for everyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.nation_id


def visibility_key(user):
    """What every visible_to(user) depends on: a query built for one user holds for another with
    the same key (core.plain.Compiled). A visible_to that reads another of the user's attributes
    must add it here."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.pk, user.role, user.nation_id, user.is_active, user.is_superuser


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        raise NotImplementedError(f"{self.model.__name__} must define visible_to(user)")


class VisibleMixin:
    """For class-based views: the queryset is what the user may see, nothing else."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


def get_visible_or_404(source, user, **lookup):
    """One object from a model or a queryset, if the user may see it; 404 otherwise."""
    queryset = source if isinstance(source, models.QuerySet) else source.objects.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
