"""The maintained nomination counts behind the yearly figures.

Services that change nominations run under `@counted` and say each change with `track()`; the
changes are summed and written once, before the service's transaction ends: the counts of each
(year, nation, area), then each nation's and each area's totals of the year. Every transaction
writes the three tables in that order and each in key order, so that two transactions never wait
on each other's rows in opposite orders."""

import threading
from collections import Counter, defaultdict
from functools import wraps

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from reports.models import STATES, AreaYearCount, NationYearCount, NominationCount
from reports.offerings import count_offerings

_local = threading.local()


def _pending():
    return getattr(_local, "pending", None)


def counted(service):
    """Collect the counts a service changes and write them when it succeeds. A nested service
    that fails leaves no trace, as its savepoint leaves none in the database."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        outer = _pending() is None
        if outer:
            _local.pending = defaultdict(Counter)
        saved = {key: Counter(value) for key, value in _local.pending.items()}
        try:
            result = service(*args, **kwargs)
            if outer:
                _write(_local.pending)
            return result
        except BaseException:
            if not outer:
                _local.pending = defaultdict(Counter, saved)
            raise
        finally:
            if outer:
                _local.pending = None

    return wrapper


def key_of(offering):
    # The offering carries its course's area (training.services keeps it so).
    return (offering.start_date.year, offering.area_id)


def track(offering, nation_id, old, new, n=1):
    """`n` nominations of `offering` from `nation_id` went from state `old` ('' if new) to `new`."""
    pending = _pending()
    if pending is None:
        raise RuntimeError("nomination counts changed outside a @counted service")
    year, area_id = key_of(offering)
    tally = pending[(year, nation_id, area_id)]
    if old:
        tally[old] -= n
    if new:
        tally[new] += n


def _write(pending):
    nations, areas = defaultdict(Counter), defaultdict(Counter)
    for (year, nation_id, area_id), tally in pending.items():
        nations[(year, nation_id)].update(tally)
        areas[(year, area_id)].update(tally)
    tables = [
        (NominationCount, ("year", "nation_id", "area_id"), pending),
        (NationYearCount, ("year", "nation_id"), nations),
        (AreaYearCount, ("year", "area_id"), areas),
    ]
    if connection.vendor == "postgresql":
        _upsert(tables)
        return
    for model, names, tallies in tables:
        _add(model, names, tallies)


def _upsert(tables):
    """PostgreSQL: the three tables' rows added to (or made) in one statement, a round trip
    instead of three. Each table's rows are written in key order, and each table's writing waits
    for the one before it to end (the condition on its count), so the rows are locked in the
    same order as _add locks them."""
    q = connection.ops.quote_name
    parts, params, before = [], [], None
    for model, names, tallies in tables:
        rows = [(key, tally) for key, tally in sorted(tallies.items()) if any(tally.get(s) for s in STATES)]
        if not rows:
            continue
        columns = [*names, *STATES]
        types = [model._meta.get_field(name).db_type(connection) for name in columns]
        row_sql = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
        for key, tally in rows:
            params += [*key, *(tally.get(state, 0) for state in STATES)]
        table = q(model._meta.db_table)
        after = f" WHERE (SELECT count(*) FROM {before}) >= 0" if before else ""
        sets = ", ".join(f"{q(state)} = {table}.{q(state)} + EXCLUDED.{q(state)}" for state in STATES)
        parts.append(
            f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
            f"SELECT * FROM (VALUES {', '.join([row_sql] * len(rows))}) v{after} "
            f"ON CONFLICT ({', '.join(q(n) for n in names)}) DO UPDATE SET {sets} RETURNING 1"
        )
        before = f"written{len(parts)}"
    if not parts:
        return
    sql = (
        "".join(f"{'WITH' if i == 0 else ','} written{i + 1} AS ({part}) " for i, part in enumerate(parts[:-1]))
        + parts[-1]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add(model, names, pending):
    for key, tally in sorted(pending.items()):
        changes = {state: delta for state, delta in tally.items() if delta and state in STATES}
        if not changes:
            continue
        where = dict(zip(names, key, strict=True))
        if _plain_update(model, where, changes):
            continue
        try:
            with transaction.atomic():
                model.objects.create(**where, **changes)
        except IntegrityError:  # made meanwhile by another transaction
            _plain_update(model, where, changes)


def _plain_update(model, where, changes):
    """Add `changes` to the row `where`; whether there was one. In plain SQL: a nomination's
    change writes three count rows, and building each UPDATE through the ORM cost more than
    running it."""
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(state)} = {q(state)} + %s" for state in changes)
    conditions = " AND ".join(f"{q(name)} = %s" for name in where)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {conditions}", [*changes.values(), *where.values()]
        )
        return cursor.rowcount > 0


@transaction.atomic
def recount(years=None, areas=None):
    """Count again from the nominations (after an offering moves year or area, or to repair)."""
    from nominations.models import Nomination

    nominations = Nomination.objects.all()
    rows = NominationCount.objects.all()
    if years is not None:
        nominations = nominations.filter(offering__start_date__year__in=years)
        rows = rows.filter(year__in=years)
    if areas is not None:
        nominations = nominations.filter(offering__course__area__in=areas)
        rows = rows.filter(area__in=areas)
    rows.delete()
    totals = defaultdict(dict)
    grouped = (
        nominations.annotate(year=ExtractYear("offering__start_date"))
        .values_list("year", "nation_id", "offering__course__area_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for year, nation_id, area_id, status, n in grouped:
        totals[(year, nation_id, area_id)][status] = n
    NominationCount.objects.bulk_create(
        NominationCount(year=year, nation_id=nation_id, area_id=area_id, **states)
        for (year, nation_id, area_id), states in sorted(totals.items())
    )
    total_years(years)
    if years is None and areas is None:
        count_offerings()


def total_years(years=None):
    """Each nation's and each area's totals of `years` (all if None), summed from the counts."""
    sums = {state: Sum(state) for state in STATES}
    for model, column in ((NationYearCount, "nation_id"), (AreaYearCount, "area_id")):
        counts, totals = NominationCount.objects.all(), model.objects.all()
        if years is not None:
            counts, totals = counts.filter(year__in=years), totals.filter(year__in=years)
        totals.delete()
        rows = counts.values("year", column).annotate(**sums).order_by("year", column)
        model.objects.bulk_create(model(**row) for row in rows)
