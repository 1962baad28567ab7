"""A year's figures read from the maintained totals, in plain SQL.

The page needs each nation's and each area's totals of one year with their names, and the range
of years kept. Through the ORM that was seven queries whose building (eight sums each, instances
for the names) cost six times what the database spent answering them; here it is two statements
written once, reading the 150 nations' and 15 areas' totals (see reports.counts)."""

from django.db import connection

from core.i18n import current_language
from reports.models import STATES, AreaYearCount, NationYearCount

_statements = {}


def _sql(name):
    """The statements, quoted for the connection's database."""
    key = (connection.vendor, name)
    if key not in _statements:
        q = connection.ops.quote_name
        states = ", ".join(f"c.{q(state)}" for state in STATES)

        def totals(kind, model, column, table):
            return (
                f"SELECT '{kind}', c.{q(column)}, t.{q('name_en')}, t.{q('name_ar')}, {states} "
                f"FROM {q(model._meta.db_table)} c JOIN {q(table)} t ON t.{q('id')} = c.{q(column)} "
                f"WHERE c.{q('year')} = %s"
            )

        nations = totals("nation", NationYearCount, "nation_id", "partners_nation")
        areas = totals("area", AreaYearCount, "area_id", "partners_area")
        _statements[(connection.vendor, "sums")] = f"{nations} UNION ALL {areas}"
        # The first and the last year are one index step each; MIN and MAX in one query made
        # SQLite read every row.
        years = q(AreaYearCount._meta.db_table)
        _statements[(connection.vendor, "years")] = (
            f"SELECT * FROM (SELECT {q('year')} FROM {years} ORDER BY {q('year')} LIMIT 1) first_year UNION ALL "
            f"SELECT * FROM (SELECT {q('year')} FROM {years} ORDER BY {q('year')} DESC LIMIT 1) last_year"
        )
    return _statements[key]


def year_sums(year):
    """({nation id: row}, {area id: row}) of `year`: each row the name in the reader's language
    and the count of each state."""
    found = {"nation": {}, "area": {}}
    arabic = current_language() == "ar"
    with connection.cursor() as cursor:
        cursor.execute(_sql("sums"), [year, year])
        for kind, pk, name_en, name_ar, *sums in cursor.fetchall():
            name = (name_ar or name_en) if arabic else (name_en or name_ar)
            found[kind][pk] = {"name": name, **{state: int(n or 0) for state, n in zip(STATES, sums, strict=True)}}
    return found["nation"], found["area"]


def years_kept():
    """The years that have counts, the latest first."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("years"))
        ends = [row[0] for row in cursor.fetchall()]
    return list(range(ends[1], ends[0] - 1, -1)) if ends else []
