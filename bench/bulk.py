"""Fast inserts for the data-set generator: executemany on SQLite, COPY on PostgreSQL.

Rows are tuples of the model fields named, with their primary keys given: the generator numbers
its rows itself so that it never has to read them back."""

import uuid
from datetime import UTC, date, datetime

from django.db import connection


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, uuid.UUID):  # as Django keeps them on SQLite
        return value.hex
    return value


def insert(model, fields, rows):
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; the count."""
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        count = 0
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    marks = ", ".join("?" * len(columns))
    converted = [tuple(_sqlite_value(v) for v in row) for row in rows]
    raw.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", converted)
    return len(converted)


def next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models):
    """PostgreSQL's id sequences, after rows were inserted with their ids given."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            if model._meta.pk.get_internal_type() == "UUIDField":
                continue
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
