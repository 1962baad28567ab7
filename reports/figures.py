"""A year's figures read from the maintained totals, in plain SQL.

The page needs each nation's and each area's totals of one year with their names, the year's
offerings by area, and the range of years kept. Through the ORM that was eight queries whose
building (eight sums each, instances for the names) cost six times what the database spent
answering them; here it is one statement, written once, reading the 150 nations' and 15 areas'
totals (see reports.counts) and the areas' offerings of the year (see reports.offerings)."""

from django.db import connection

from core.i18n import current_language
from core.tables import CountSql
from core.visibility import nation_id_of, sees_all_nations
from reports.models import STATES, AreaYearCount, NationYearCount, OfferingYearCount

_statements = {}


def _statement():
    """The statement, quoted for the connection's database. Every part has the same columns:
    kind, key, English name, Arabic name, then one count per state."""
    if connection.vendor not in _statements:
        q = connection.ops.quote_name
        states = ", ".join(f"c.{q(state)}" for state in STATES)
        # Typed: PostgreSQL takes an untyped NULL in a subquery for text, which a UNION with
        # numbers refuses.
        no_name, no_count = "CAST(NULL AS VARCHAR(1))", "CAST(NULL AS INTEGER)"
        no_counts = ", ".join([no_count] * len(STATES))

        def totals(kind, model, column, table):
            return (
                f"SELECT '{kind}', c.{q(column)}, t.{q('name_en')}, t.{q('name_ar')}, {states} "
                f"FROM {q(model._meta.db_table)} c JOIN {q(table)} t ON t.{q('id')} = c.{q(column)} "
                f"WHERE c.{q('year')} = %s"
            )

        # The maintained counts (reports.offerings): counting the year's 5,000 offerings on an
        # index took 0.4 ms of the page on SQLite.
        offerings = (
            f"SELECT 'offerings', {q('area_id')}, {no_name}, {no_name}, {q('offerings')}, "
            f"{no_counts.split(', ', 1)[1]} FROM {q(OfferingYearCount._meta.db_table)} WHERE {q('year')} = %s"
        )
        # The first and the last year are one index step each; MIN and MAX in one query made
        # SQLite read every row.
        years = q(AreaYearCount._meta.db_table)
        ends = [
            f"SELECT * FROM (SELECT '{end}', {q('year')}, {no_name}, {no_name}, {no_counts} FROM {years} "
            f"ORDER BY {q('year')}{order} LIMIT 1) {end}_year"
            for end, order in (("first", ""), ("last", " DESC"))
        ]
        _statements[connection.vendor] = " UNION ALL ".join(
            [
                totals("nation", NationYearCount, "nation_id", "partners_nation"),
                totals("area", AreaYearCount, "area_id", "partners_area"),
                offerings,
                *ends,
            ]
        )
    return _statements[connection.vendor]


def year_figures(year):
    """The figures of `year`: {"nation": {id: row}, "area": {id: row}} (each row the name in the
    reader's language and the count of each state), {area id: offerings} and the years kept,
    the latest first."""
    found = {"nation": {}, "area": {}, "offerings": {}, "first": {}, "last": {}}
    arabic = current_language() == "ar"
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [year, year, year])
        rows = cursor.fetchall()
    for kind, key, name_en, name_ar, *counts in rows:
        # The counts are whole numbers, NULL only past an offerings row's first (never read).
        row = dict(zip(STATES, counts, strict=True))
        row["name"] = (name_ar or name_en) if arabic else (name_en or name_ar)
        found[kind][key] = row
    first, last = list(found.pop("first")), list(found.pop("last"))
    years = list(range(last[0], first[0] - 1, -1)) if first else []
    offerings = {area: row[STATES[0]] for area, row in found.pop("offerings").items()}
    return found, offerings, years


def nominations_kept(nation_id=None, status=None):
    """How many nominations there are (of one nation; in one state, or in any of a list of
    states), summed from the maintained totals: a few hundred rows at most, where counting the
    nominations of a large nation read a thousand index entries on every page of its list. As
    the statement that sums them, which a list reads with its first page (core.tables.CountSql)."""
    q = connection.ops.quote_name
    if isinstance(status, str):
        status = [status] if status else None
    states = list(dict.fromkeys(status or STATES))
    model = NationYearCount if nation_id else AreaYearCount
    sql = f"SELECT COALESCE(SUM({' + '.join(q(state) for state in states)}), 0) FROM {q(model._meta.db_table)}"
    if nation_id:
        return CountSql(f"{sql} WHERE {q('nation_id')} = %s", [nation_id])
    return CountSql(sql, [])


def visible_nominations_kept(user, nation_id=None, status=None):
    """nominations_kept for the nominations `user` sees, of `nation_id` if given: everyone's for
    those who see every nation, their own nation's for a focal point. None for any other reader,
    and for a focal point asking for another nation's (whose list is empty): those lists are
    counted."""
    if sees_all_nations(user):
        return nominations_kept(nation_id=nation_id, status=status)
    own = nation_id_of(user) if getattr(user, "is_focal_point", False) else None
    if own is None or (nation_id and nation_id != own):
        return None
    return nominations_kept(nation_id=own, status=status)
