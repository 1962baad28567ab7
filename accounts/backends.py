"""Signing in users, and reading the signed-in user on every request.

Each request of a signed-in user or an API client reads that user and their nation first; built
through the ORM that read took fifteen times as long as the database took to answer it, so it is
written once in plain SQL (see core.plain)."""

import contextlib
import contextvars

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from core.plain import Plain, one
from partners.models import Nation

_user, _nation, _token = Plain(get_user_model()), Plain(Nation), Plain(Token)
_statements = {}


def user_columns(connection):
    """The columns of the user `u` and their nation `n`, for a SELECT that ends with them."""
    return f"{_user.columns(connection, 'u')}, {_nation.columns(connection, 'n')}"


def user_tables(connection, joined):
    """The user `u`, on the condition `joined`, and their nation `n` (if any), for a FROM."""
    q = connection.ops.quote_name
    return (
        f"{_user.table(connection)} u ON {joined} "
        f"LEFT JOIN {_nation.table(connection)} n ON n.{q('id')} = u.{q('nation_id')}"
    )


def _statement(connection):
    """SELECT token, user, nation WHERE the token's key is %s."""
    if connection.alias not in _statements:
        q = connection.ops.quote_name
        joined = f"u.{q('id')} = t.{q('user_id')}"
        _statements[connection.alias] = (
            f"SELECT {_token.columns(connection, 't')}, {user_columns(connection)} "
            f"FROM {_token.table(connection)} t JOIN {user_tables(connection, joined)} WHERE t.{q('key')} = %s"
        )
    return _statements[connection.alias]


def user_of(connection, row):
    """The user of the last columns of a row (user_columns), with their nation (or none) in
    place; None if the row has no user (an outer join's NULLs)."""
    start = len(row) - len(_user) - len(_nation)
    user = _user.instance(connection, row[start : start + len(_user)])
    if user is not None:
        get_user_model().nation.field.set_cached_value(user, _nation.instance(connection, row[start + len(_user) :]))
    return user


# The session whose user is being read (accounts.middleware), while it is.
_session = contextvars.ContextVar("session", default=None)


@contextlib.contextmanager
def reading(session):
    """While the user of `session` is read: the backend takes the user the session's own read
    found (accounts.sessions) if it is the one asked for."""
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


class UserBackend(ModelBackend):
    """Django's backend, reading the signed-in user with their nation in one plain query, or
    taking them from their session's read."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = getattr(_session.get(), "user", None)
        if user is None or user.pk != user_id:
            try:
                user = one(model, user_id, related="nation", using=router.db_for_read(model))
            except model.DoesNotExist:
                return None
        return user if self.user_can_authenticate(user) else None


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reading the token with its user and their nation in one plain
    query."""

    def authenticate_credentials(self, key):
        connection = connections[router.db_for_read(Token)]
        with connection.cursor() as cursor:
            cursor.execute(_statement(connection), [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = user_of(connection, row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = _token.instance(connection, row[: len(_token)])
        Token.user.field.set_cached_value(token, user)
        return user, token
