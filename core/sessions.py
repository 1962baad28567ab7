"""Database sessions that know their user (accounts.Session), read with one plain query.

Every signed-in page reads its session, then its user and their nation. Built through the ORM the
session's read cost about 200 µs where the database answered in 15; read apart, the two cost
PostgreSQL two round trips. Here one statement reads the session with its user and nation, and
the user waits on the store for the authentication (accounts.backends) to take."""

from django.apps import apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from core.plain import Plain

_statements = {}


def _statement(connection, session, user, nation):
    """SELECT the session's data, its user and their nation WHERE its key is %s and it expires
    after %s."""
    if connection.alias not in _statements:
        q = connection.ops.quote_name
        _statements[connection.alias] = (
            f"SELECT s.{q('session_data')}, {user.columns(connection, 'u')}, {nation.columns(connection, 'n')} "
            f"FROM {session.table(connection)} s "
            f"LEFT JOIN {user.table(connection)} u ON u.{q('id')} = s.{q('user_id')} "
            f"LEFT JOIN {nation.table(connection)} n ON n.{q('id')} = u.{q('nation_id')} "
            f"WHERE s.{q('session_key')} = %s AND s.{q('expire_date')} > %s"
        )
    return _statements[connection.alias]


class _Row:
    def __init__(self, session_data):
        self.session_data = session_data


class SessionStore(db.SessionStore):
    # The user this session signs in and their nation, as its read found them; None if none.
    user = None
    _plain = None

    @classmethod
    def get_model_class(cls):
        return apps.get_model("accounts", "Session")

    @classmethod
    def _plains(cls):
        if cls._plain is None:
            user = get_user_model()
            cls._plain = (Plain(cls.get_model_class()), Plain(user), Plain(user.nation.field.related_model))
        return cls._plain

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = get_user_model()._meta.pk.to_python(data.get(SESSION_KEY))
        except ValidationError:  # not a user's id: the session signs in nobody
            session.user_id = None
        return session

    def _get_session_from_db(self):
        self.user = None
        if self.session_key is None:
            return None
        session, user, nation = self._plains()
        connection = connections[router.db_for_read(session.model)]
        expire = session.model._meta.get_field("expire_date")
        now = expire.get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(_statement(connection, session, user, nation), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        self.user = user.instance(connection, row[1 : 1 + len(user)])
        if self.user is not None:
            get_user_model().nation.field.set_cached_value(self.user, nation.instance(connection, row[1 + len(user) :]))
        return _Row(row[0])
