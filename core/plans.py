"""PostgreSQL: which statements are planned for their values each time.

A statement run a few times on a connection is prepared (settings.PG_PREPARE_THRESHOLD), and
after five runs PostgreSQL may keep one plan for any values. For a list filtered by a nation, an
area, a status or a language, one plan fits some values and not others: a catalogue page's count
took 95 ms with it where the plan made for its values took 3.4. A list's reads (core.tables) are
planned for their values; the reads by id and the writes, whose best plan is the same for any
value, stay prepared. A few statements written so that one plan serves any values, and costly
to plan, run from one plan that PostgreSQL keeps for them (generic)."""

import contextlib
import contextvars
import functools
import hashlib
import re
import weakref

_PLACEHOLDERS = re.compile("(%s|%%)")
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


# How many statements generic() keeps prepared on a connection; others are planned each time.
GENERIC_KEPT = 256


def _generic_name(sql):
    return "generic_" + hashlib.sha1(sql.encode()).hexdigest()[:24]


def _kept(connection):
    """The names of the statements generic() has prepared on `connection`'s present database
    connection (each thread has its own)."""
    raw = connection.connection
    kept = getattr(connection, "generic_kept", None)
    if kept is None or kept[0]() is not raw:
        kept = connection.generic_kept = (weakref.ref(raw), set())
    return kept[1]


def keeps_plan(connection, sql):
    """Whether generic() may run `sql` on `connection`: outside a transaction (see generic), on
    a connection that keeps prepared statements (settings.PG_PREPARE_THRESHOLD: a pooler that
    cannot keep them has it off) and is kept between requests (DB_CONN_MAX_AGE: one closed after
    each would prepare the statement for one run), while it keeps fewer than GENERIC_KEPT."""
    connection.ensure_connection()
    if connection.in_atomic_block or not connection.get_autocommit() or not connection.settings_dict["CONN_MAX_AGE"]:
        return False
    if connection.connection.prepare_threshold is None:
        return False
    names = _kept(connection)
    return _generic_name(sql) in names or len(names) < GENERIC_KEPT


def numbered(sql, params):
    """(SQL, args) of a statement written with %s placeholders (as Django writes them), for
    generic(): its parameters written $1, $2, … in their order."""
    parts, args, values = [], [], iter(params)
    for part in _PLACEHOLDERS.split(sql):
        if part == "%s":
            args.append(next(values))
            parts.append(f"${len(args)}")
        else:
            parts.append("%" if part == "%%" else part)
    return "".join(parts), args


def generic(connection, sql, args, every=False):
    """The first row of `sql` (its parameters written $1, $2, …; every row with `every`) run with
    `args` from one plan made for any values and kept by the connection: PostgreSQL plans it
    once, not on each run. Only for a statement written so that its best plan is the same for any
    values, and that takes long to plan: a catalogue search's first read took 0.25 to 0.7 ms to
    plan and 0.5 to 1 to run (core.search._generic_walk); a nomination list's page with its rows,
    0.3 ms (core.tables.IdFirstPaginator). Only where keeps_plan() says so.

    psycopg's own prepared statements would leave PostgreSQL to choose between the kept plan and
    one made for the values, which it does by their estimated costs; the setting that makes it
    keep the plan must be in force as the statement runs, so the statement is prepared by name
    and run in one message with the setting, its values written in (as psycopg writes them).
    psycopg lets every prepared statement of the connection go after a rollback (DEALLOCATE
    ALL): then the statement is prepared again. Outside a transaction, so that the failed run
    leaves none to roll back."""
    from django.db.utils import ProgrammingError
    from psycopg import errors
    from psycopg import sql as pgsql

    raw, names, name = connection.connection, _kept(connection), _generic_name(sql)
    values = ", ".join(pgsql.Literal(arg).as_string(raw) for arg in args)
    values = f"({values})" if args else ""  # a statement of no parameters is run without ()
    with connection.cursor() as cursor:
        for attempt in range(2):
            if name not in names:
                try:
                    cursor.execute(f"PREPARE {name} AS {sql}")
                except ProgrammingError as error:  # prepared, and forgotten here by the retry below
                    if not isinstance(error.__cause__, errors.DuplicatePreparedStatement):
                        raise
                names.add(name)
            try:
                # LOCAL: the setting ends with the message's transaction.
                cursor.execute(f"SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE {name}{values}")
            except ProgrammingError as error:
                if attempt or not isinstance(error.__cause__, errors.InvalidSqlStatementName):
                    raise
                names.clear()
            else:
                cursor.nextset()
                return cursor.fetchall() if every else cursor.fetchone()
