"""Reads that every request, or every list page, makes, in plain SQL.

Django builds the SQL of each query anew: for the signed-in user and their nation that took
300 µs, against 20 µs for the database to answer. `Plain` writes a model's columns once and turns
a row back into an instance as the ORM would, with the database's converters and each field's
from_db_value applied."""

import contextlib
import functools

from django.core.exceptions import EmptyResultSet
from django.db import connections

from core import plans


def first_column(alias, sql, params):
    """The first column of a statement's rows (ids, say), read with one fetch and planned for
    its values: Django's values list yields rows one by one from fetches of a hundred, which for
    the 301 ids of a search cost more than the index took to find them."""
    with connections[alias].cursor() as cursor, plans.for_values():
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def among(connection, column, ids):
    """(SQL, params) of `column` being one of `ids`. On PostgreSQL one array parameter: the
    statement is then the same, and prepared once, whatever the number of ids (IN (…) is a
    statement of its own for each length of the list)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


class Plain:
    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self._converters = {}

    def __len__(self):
        return len(self.fields)

    def table(self, connection):
        return connection.ops.quote_name(self.model._meta.db_table)

    def columns(self, connection, alias):
        """The model's columns for a SELECT, from the table named `alias` in its FROM."""
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(alias)}.{quote(field.column)}" for field in self.fields)

    def _converters_for(self, connection):
        """(column, converters) of each field that has any, by position."""
        found = self._converters.get(connection.alias)
        if found is None:
            found = {}
            for position, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if converters:
                    found[position] = (column, converters)
            self._converters[connection.alias] = found
        return found

    def instance(self, connection, values):
        """The instance of `values`, a row's slice of this model's columns; None for the NULLs of
        an outer join."""
        if values[0] is None:
            return None
        values = list(values)
        for position, (column, converters) in self._converters_for(connection).items():
            for convert in converters:
                values[position] = convert(values[position], column, connection)
        return self.model.from_db(connection.alias, self.names, values)


class RowsById:
    """Rows of a model picked by id, as dicts of `fields` (related fields too, "person__name_en"),
    read with SQL that Django compiles once per database.

    A list page first finds the ids of its rows with its own query (the reader's visibility, the
    filters, the order), then reads what the rows show. For a page of 25 nominations with their
    person, offering, course and nation, building and compiling that second query cost twice what
    the database took to answer it, and turning its rows into dicts as much again."""

    def __init__(self, model, fields):
        self.model, self.fields = model, ("pk", *fields)
        self._prepared = {}

    def _prepare(self, connection):
        queryset = self.model._base_manager.using(connection.alias).filter(pk__in=[0]).order_by()
        query = queryset.values(*self.fields).query
        compiler = query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        if sql.count("IN (%s)") != 1 or list(params) != [0]:
            raise ValueError(f"cannot prepare the rows of {self.model.__name__} by id: {sql}")
        names = list(query.selected) if query.selected else list(query.values_select)
        converters = list(compiler.get_converters([expression for expression, _, _ in compiler.select]).items())
        return sql, names, converters

    def _prepared_for(self, connection):
        prepared = self._prepared.get(connection.alias)
        if prepared is None:
            prepared = self._prepared[connection.alias] = self._prepare(connection)
        return prepared

    def read(self, ids, using="default", also=None):
        """{id: row} of `ids` (those that exist). `also` reads more about each row with them: its
        `statement(connection, ids)` is (SQL, params) of that read, and `attach(found, rows)` adds
        what it read to the rows found. On PostgreSQL its statement is sent with theirs, one round
        trip for both, as psycopg's pipeline sends them."""
        if not ids:
            return {}
        connection = connections[using]
        condition, params = among(connection, "", ids)
        sql = self._prepared_for(connection)[0].replace("IN (%s)", condition.strip())
        if also is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return self.found(connection, cursor.fetchall())
        more = also.statement(connection, ids)
        with connection.cursor() as cursor, connection.cursor() as other:
            # Inside the cursors: by then the connection is open.
            pg = connection.vendor == "postgresql"
            with connection.connection.pipeline() if pg else contextlib.nullcontext():
                cursor.execute(sql, params)
                other.execute(*more)
            found = self.found(connection, cursor.fetchall())
            also.attach(found, other.fetchall())
        return found

    def among_array(self, connection, array):
        """The statement of the rows whose id is in `array`, SQL of a PostgreSQL array."""
        return self._prepared_for(connection)[0].replace("IN (%s)", f"= ANY({array})")

    def joined(self, connection, head, columns, ids):
        """PostgreSQL: SQL of the one row of `head`, a statement whose `columns` are named, with
        the rows whose id is in `ids` (SQL of an array of its values, written h.<column>): one
        result row for each, or one with no row where there is none. The head's values come on
        the first only: each row's copy of an array was parsed again. Read it with split()."""
        first = f"r.pk IS NULL OR r.pk = ({ids})[1]"
        values = ", ".join(f"CASE WHEN {first} THEN h.{column} END" for column in columns)
        rows = self.among_array(connection, ids)
        # OFFSET 0: the head is read once, not written again into the rows' condition.
        return f"SELECT {values}, r.* FROM ({head} OFFSET 0) h LEFT JOIN LATERAL ({rows}) r ON true"

    def split(self, connection, read, width):
        """(the head's `width` values, {id: row}) of what a joined() statement read."""
        head = next(row[:width] for row in read if row[0] is not None)
        return head, self.found(connection, [row[width:] for row in read if row[width] is not None])

    def found(self, connection, rows):
        """{id: row} of the rows its statement read, as dicts."""
        _sql, names, converters = self._prepared_for(connection)
        found = {}
        for row in rows:
            row = list(row)
            for position, (convs, expression) in converters:
                for convert in convs:
                    row[position] = convert(row[position], expression, connection)
            found[row[0]] = dict(zip(names, row, strict=True))
        return found


@functools.cache
def rows_by_id(model, fields):
    """The RowsById of a model's `fields` (a tuple), one for the process."""
    return RowsById(model, fields)


_one_statements = {}


def _one_statement(connection, model, related, lock_it):
    key = (connection.alias, model, related, lock_it)
    if key not in _one_statements:
        q = connection.ops.quote_name
        own, other, field = Plain(model), None, None
        tables, columns = f"{own.table(connection)} r", own.columns(connection, "r")
        if related:
            field = model._meta.get_field(related)
            other = Plain(field.related_model)
            joined = f"o.{q(field.target_field.column)} = r.{q(field.column)}"
            tables += f" LEFT JOIN {other.table(connection)} o ON {joined}"
            columns += f", {other.columns(connection, 'o')}"
        # Its head: the record's id is then compared with what each caller gives.
        sql = f"SELECT {columns} FROM {tables} WHERE r.{q(model._meta.pk.column)}"
        lock = " FOR UPDATE OF r" if related else " FOR UPDATE"
        lock = lock if lock_it and connection.features.has_select_for_update else ""
        _one_statements[key] = (sql, lock, own, other, field)
    return _one_statements[key]


def one(model, pk, *, related=None, lock=False, using="default"):
    """The record `pk` of `model`, with the record its foreign key `related` names in place, read
    as `model.objects.select_related(related).get(pk=pk)` would (its DoesNotExist if none), in
    plain SQL; `lock` locks the record alone until the transaction ends, where the database can
    (select_for_update(of=("self",))). The ORM built that read in 230 to 280 µs on each
    nomination, against 30 for the database to answer it."""
    connection = connections[using]
    sql, lock_sql, own, other, field = _one_statement(connection, model, related, lock)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} = %s{lock_sql}", [pk])
        row = cursor.fetchone()
    return _record(model, connection, row, own, other, field)


def _record(model, connection, row, own, other, field):
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    record = own.instance(connection, row[: len(own)])
    if other is not None:
        field.set_cached_value(record, other.instance(connection, row[len(own) :]))
    return record


class Compiled:
    """A query that Django builds and compiles once for each `key(context)`, and that takes its
    values (ids) anew each time it runs: `build(context, *values)` makes the queryset, and what
    it takes from the context must all be in the key, or be values that the build gets marked
    in `stand_in(context)` and that `marked(context)` gives ({mark: value}).
    The nomination API checks through visible_to that the caller may see the offering and the
    person: building that query took 0.8 ms of each nomination, the database 30 µs to answer it.
    (Filter forms read their areas and nations so too, core.forms.)"""

    # Values no record has, put in the build to find where each value goes among the parameters.
    MARKS = (-(2**62) + 1, -(2**62) + 2, -(2**62) + 3)
    # Queries kept, at most: past it they are built anew.
    KEPT = 2000

    def __init__(self, build, values, key, stand_in=None, marked=None):
        self.build, self.values, self.key, self._compiled = build, values, key, {}
        self.stand_in, self.marked = stand_in or (lambda context: context), marked or (lambda context: {})

    def _compile(self, connection, context):
        marks = self.MARKS[: self.values]
        context_marks = self.marked(context)
        try:
            sql, params = self.build(self.stand_in(context), *marks).query.get_compiler(connection.alias).as_sql()
        except EmptyResultSet:  # a query that nothing can meet (visible_to(...).none())
            return None, [], [], []
        params = list(params)

        def places(mark):  # a text field's lookup takes the mark as text
            return [i for i, param in enumerate(params) if param in (mark, str(mark))]

        found = [places(mark) for mark in marks]
        if any(len(where) != 1 for where in found):
            raise ValueError(f"each value must be one parameter of the query: {sql}")
        # The context's marks, as often as the query compares records with them (or never).
        context_places = [(i, mark) for mark in context_marks for i in places(mark)]
        return sql, params, [where[0] for where in found], context_places

    def _statement(self, connection, context, values):
        """(SQL, params) of the query for `context` with `values` in place; (None, []) if it
        can find nothing."""
        key = (connection.alias, self.key(context))
        found = self._compiled.get(key)
        if found is None:
            if len(self._compiled) >= self.KEPT:
                self._compiled.clear()
            found = self._compiled[key] = self._compile(connection, context)
        sql, params, positions, context_places = found
        params = list(params)
        for position, value in zip(positions, values, strict=True):
            params[position] = value
        if context_places:
            own = self.marked(context)
            for position, mark in context_places:
                params[position] = own[mark]
        return sql, params

    def statement(self, context, *values, using="default"):
        """(SQL, params) of the query for `context` with `values` in place; (None, []) if it can
        find nothing."""
        return self._statement(connections[using], context, values)

    def rows(self, context, *values, using="default"):
        connection = connections[using]
        sql, params = self._statement(connection, context, values)
        if sql is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def one(self, context, *values, model, related=None, using="default"):
        """The record of `model` whose id the query (of ids) gives, with the record its foreign
        key `related` names in place, read as plain.one reads it; its DoesNotExist if none. A
        roster's offering, found by its code among those its reader may see, cost 1 ms through
        the ORM."""
        connection = connections[using]
        sql, params = self._statement(connection, context, values)
        if sql is None:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        statement, _lock, own, other, field = _one_statement(connection, model, related, False)
        with connection.cursor() as cursor:
            cursor.execute(f"{statement} IN ({sql})", params)
            row = cursor.fetchone()
        return _record(model, connection, row, own, other, field)


def _inserted(model, records, connection, exclude=None):
    """The columns of an INSERT of `records` (all but the id and `exclude`), and each record's
    values for them, as the ORM would write them (defaults and auto_now applied)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key and field is not exclude]
    rows = [
        [field.get_db_prep_save(field.pre_save(record, True), connection) for field in fields] for record in records
    ]
    return fields, rows


def insert_with(record, related, field_name, using="default"):
    """Insert `record` and the `related` records whose foreign key `field_name` points at it; the
    ids are set on all of them. On PostgreSQL in one statement: the ORM's two inserts cost a
    nomination two round trips and 0.6 ms of building. Neither way sends save signals (as
    bulk_create sends none)."""
    model, child = type(record), type(related[0])
    connection = connections[using]
    field = child._meta.get_field(field_name)
    if connection.vendor != "postgresql":
        model.objects.using(using).bulk_create([record])
        for other in related:
            setattr(other, field.name, record)
        child.objects.using(using).bulk_create(related)
        return
    quote = connection.ops.quote_name
    fields, (values,) = _inserted(model, [record], connection)
    child_fields, rows = _inserted(child, related, connection, exclude=field)
    casts = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in child_fields)
    children = ", ".join([f"({casts})"] * len(rows))
    sql = (
        f"WITH parent AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(model._meta.pk.column)}) "
        f"INSERT INTO {quote(child._meta.db_table)} ({quote(field.column)}, "
        f"{', '.join(quote(f.column) for f in child_fields)}) "
        f"SELECT parent.{quote(model._meta.pk.column)}, v.* FROM parent, (VALUES {children}) v "
        f"RETURNING {quote(field.column)}, {quote(child._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *(value for row in rows for value in row)])
        returned = cursor.fetchall()
    record.pk = returned[0][0]
    record._state.adding, record._state.db = False, using
    for other, (_parent, pk) in zip(related, returned, strict=True):
        setattr(other, field.name, record)
        other.pk = pk
        other._state.adding, other._state.db = False, using
