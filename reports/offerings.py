"""The offerings of each area and year (OfferingYearCount), kept by triggers on the offerings'
table on either database: services, the admin, bulk writes and `.update()` all move the count.

SQLite drops a table's triggers when a migration rebuilds the table, so after migrating they are
put back and the counts made again (repair_sqlite_triggers). PostgreSQL applies each change in
the order of the keys, so that two transactions moving offerings between the same two keys never
wait on each other's rows in opposite orders; SQLite has one writer at a time."""

from django.db import connections, migrations

from core.search import sqlite_names

OFFERINGS, COUNTS = "training_offering", "reports_offeringyearcount"
TRIGGERS = [f"{COUNTS}_ai", f"{COUNTS}_ad", f"{COUNTS}_au"]


def _year(vendor, row):
    """SQL of the year an offering `row` starts in (SQLite keeps dates as text)."""
    if vendor == "postgresql":
        return f"extract(year FROM {row}.start_date)::int"
    return f"CAST(substr({row}.start_date, 1, 4) AS INTEGER)"


def _sqlite_add(row):
    return (
        f"INSERT INTO {COUNTS} (year, area_id, offerings) VALUES ({_year('sqlite', row)}, {row}.area_id, 1) "
        f"ON CONFLICT (year, area_id) DO UPDATE SET offerings = offerings + 1;"
    )


def _sqlite_remove(row):
    # An update, never a new row: Django's flush empties the counts before the offerings, whose
    # deletion must then leave nothing that points at the areas it empties next.
    year = _year("sqlite", row)
    return f"UPDATE {COUNTS} SET offerings = offerings - 1 WHERE year = {year} AND area_id = {row}.area_id;"


def sqlite_sql():
    moved = "substr(OLD.start_date, 1, 4) <> substr(NEW.start_date, 1, 4) OR OLD.area_id <> NEW.area_id"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[0]} AFTER INSERT ON {OFFERINGS} BEGIN {_sqlite_add('NEW')} END",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[1]} AFTER DELETE ON {OFFERINGS} BEGIN {_sqlite_remove('OLD')} END",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[2]} AFTER UPDATE OF start_date, area_id ON {OFFERINGS} "
        f"WHEN {moved} BEGIN {_sqlite_remove('OLD')} {_sqlite_add('NEW')} END",
    ]


def pg_sql():
    add = (
        f"INSERT INTO {COUNTS} (year, area_id, offerings) VALUES (new_year, NEW.area_id, 1) "
        f"ON CONFLICT (year, area_id) DO UPDATE SET offerings = {COUNTS}.offerings + 1"
    )
    remove = f"UPDATE {COUNTS} SET offerings = offerings - 1 WHERE year = old_year AND area_id = OLD.area_id"
    # A record variable that a statement does not have (NEW on DELETE) reads as NULL. A move
    # writes its two keys in their order.
    return [
        f"""CREATE OR REPLACE FUNCTION {COUNTS}_keep() RETURNS trigger AS $$
        DECLARE
            new_year int := {_year("postgresql", "NEW")};
            old_year int := {_year("postgresql", "OLD")};
        BEGIN
            IF TG_OP = 'UPDATE' AND new_year = old_year AND NEW.area_id = OLD.area_id THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (new_year, NEW.area_id) < (old_year, OLD.area_id)) THEN
                {add};
            END IF;
            IF TG_OP <> 'INSERT' THEN
                {remove};
            END IF;
            IF TG_OP = 'UPDATE' AND (new_year, NEW.area_id) > (old_year, OLD.area_id) THEN
                {add};
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {COUNTS}_keep ON {OFFERINGS}",
        f"CREATE TRIGGER {COUNTS}_keep AFTER INSERT OR DELETE OR UPDATE OF start_date, area_id ON {OFFERINGS} "
        f"FOR EACH ROW EXECUTE FUNCTION {COUNTS}_keep()",
    ]


def count_offerings(using="default"):
    """Count every area's offerings of every year again, from the offerings (after a load with
    the triggers off, or to repair)."""
    year = _year(connections[using].vendor, "o")
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTS}")
        cursor.execute(
            f"INSERT INTO {COUNTS} (year, area_id, offerings) "
            f"SELECT {year}, o.area_id, COUNT(*) FROM {OFFERINGS} o GROUP BY 1, 2 ORDER BY 1, 2"
        )


def _create(using):
    vendor = connections[using].vendor
    statements = sqlite_sql() if vendor == "sqlite" else pg_sql() if vendor == "postgresql" else []
    with connections[using].cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    count_offerings(using)


def keep_offering_counts():
    """Migration operation: the triggers, and the counts of the offerings already there."""

    def forwards(apps, schema_editor):
        _create(schema_editor.connection.alias)

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for trigger in TRIGGERS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {COUNTS}_keep ON {OFFERINGS}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {COUNTS}_keep()")

    return migrations.RunPython(forwards, backwards)


def repair_sqlite_triggers(using="default", **kwargs):
    """After migrating on SQLite: put back the triggers a rebuild of the offerings' table dropped,
    and count again what they missed."""
    present = sqlite_names(using)
    if present is not None and {OFFERINGS, COUNTS} <= present and not set(TRIGGERS) <= present:
        _create(using)
