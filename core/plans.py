"""PostgreSQL: which statements are planned for their values each time.

A statement run a few times on a connection is prepared (settings.PG_PREPARE_THRESHOLD), and
after five runs PostgreSQL may keep one plan for any values. For a list filtered by a nation, an
area, a status or a language, one plan fits some values and not others: a catalogue page's count
took 95 ms with it where the plan made for its values took 3.4. A list's reads (core.tables) are
planned for their values; the reads by id and the writes, whose best plan is the same for any
value, stay prepared."""

import contextlib
import contextvars
import functools

_for_values = contextvars.ContextVar("planned_for_values", default=False)


@contextlib.contextmanager
def for_values():
    """Statements run inside are planned for their values, never from a prepared plan."""
    token = _for_values.set(True)
    try:
        yield
    finally:
        _for_values.reset(token)


@functools.cache
def cursor_class(base):
    """A psycopg cursor class like `base` that does not prepare statements run in for_values()."""

    class Cursor(base):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            if prepare is None and _for_values.get():
                prepare = False
            return super().execute(query, params, prepare=prepare, binary=binary)

    return Cursor
