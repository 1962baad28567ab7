"""Who may see what, in one place.

Every scoped model's manager is built on `ScopedQuerySet` and implements `visible_to(user)`.
Views use `VisibleMixin` and the API `VisibleViewSet` (core.api); neither filters by hand, and
an object outside a user's reach is simply not in the queryset, so it answers 404.
"""

import copy

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


# A user's id and nation in a query built once for every user of the same visibility_key (core.
# plain.Compiled): values no record has, which each run replaces with the user's own.
USER_MARKS = (-(2**62) + 11, -(2**62) + 12)


def visibility_key(user):
    """What every visible_to(user) depends on but the user's id and nation: a query built for one
    user holds for another with the same key, their id and nation put in its values (see
    stand_in). A visible_to may only compare records with the user's id and nation; one that
    reads another of the user's attributes must add it here."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.role, user.is_active, user.is_superuser, user.nation_id is None


def stand_in(user):
    """A copy of `user` whose id and nation are USER_MARKS, to build a query for every user of
    its key."""
    if not getattr(user, "is_authenticated", False):
        return user
    stand = copy.copy(user)
    stand.pk = USER_MARKS[0]
    # Not the user's nation record: only its id may go into a query built for everyone.
    stand._state.fields_cache.pop("nation", None)
    if user.nation_id is not None:
        stand.nation_id = USER_MARKS[1]
    return stand


def marked(user):
    """The user's own values of USER_MARKS."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {USER_MARKS[0]: user.pk, USER_MARKS[1]: user.nation_id}


# core.plain.Compiled(build, values, **FOR_EACH_KIND_OF_USER): a query through visible_to(user),
# built once for each kind of user (visibility_key), not once for each user.
FOR_EACH_KIND_OF_USER = {"key": visibility_key, "stand_in": stand_in, "marked": marked}


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
