"""Sorting and paging of list pages, the same way everywhere."""

import re
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

from core import plans, search
from core.plain import first_column, rows_by_id

# The bounds Django writes at the end of a sliced query's SQL.
_BOUNDS = re.compile(r" LIMIT (\d+)(?: OFFSET (\d+))?$")


class CountSql(NamedTuple):
    """A statement whose one value is a list's count, kept elsewhere (maintained totals): read
    with the list's first page where the database allows (IdFirstPaginator._read_together)."""

    sql: str
    params: list


# Lists count their rows up to this many; past it they say "more than" instead of counting on.
COUNT_CAP = 1000
# Search results count at most this many: each is a read of the search index and of its row,
# and a thousand of them cost more than the rest of the page.
SEARCH_COUNT_CAP = 300


def sort_fields(request, columns, default):
    """(fields, key): the order the `sort` parameter asks for when it names one of `columns`
    (key → field or fields), the id last; `default`'s otherwise."""
    key = request.GET.get("sort", default)
    name = key.lstrip("-")
    if name not in columns:
        key, name = default, default.lstrip("-")
    fields = columns[name] if isinstance(columns[name], (list, tuple)) else [columns[name]]
    if key.startswith("-"):
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    return (*fields, "pk" if not key.startswith("-") else "-pk"), key


def sort_queryset(request, queryset, columns, default):
    """Order by the `sort` parameter when it names one of `columns` (key → field or fields)."""
    fields, key = sort_fields(request, columns, default)
    return queryset.order_by(*fields), key


def ids_of(queryset):
    """The ids of a list (sliced as it is), in its order, read with one fetch (plain.first_column)."""
    try:
        sql, params = queryset.values_list("pk", flat=True).query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a condition that nothing meets, such as no ids a search found
        return []
    return first_column(queryset.db, sql, params)


class IdFirstPaginator(Paginator):
    """Reads a page in two steps: the ids of its rows, which the database finds and orders on an
    index alone, then those rows. Selecting whole rows while ordering makes the planner walk the
    table instead of the index. With `fields`, the rows are dicts of those fields and "pk"
    (see core.rows), read by core.plain.RowsById, instead of model instances. With `ids_sql`,
    (offset, size) → (SQL, params) of the ids of that page of the list (None for a list that
    nothing can meet), the page's ids are read with that statement rather than one compiled
    from the list (a statement compiled once, see core.plain.Compiled). With `counted`, a CountSql,
    the list's count is read from the totals it names instead of counting the list. `one_plan`
    says that one plan made for any values of the list's filters is the best for each (an index
    that matches them and the order exactly): on PostgreSQL its page's rows may then be read with
    its count and ids (_read_with_rows). `also`, with `fields`: more about each row, read with
    the rows (core.plain.RowsById.read)."""

    def __init__(self, object_list, per_page, fields=None, ids_sql=None, counted=None, one_plan=False, also=None):
        super().__init__(object_list, per_page)
        self.fields, self.ids_sql, self.one_plan, self.also = fields, ids_sql, one_plan, also
        self.counted_by = counted if isinstance(counted, CountSql) else None

    def validate_number(self, number):
        self._read_together(number)
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids, read = self.page_ids(bottom), self.__dict__.get("_rows_read")
        if read is not None and read[0] == bottom:
            rows = read[1]
        elif self.fields:
            reader = rows_by_id(self.object_list.model, tuple(self.fields))
            rows = reader.read(ids, using=self.object_list.db, also=self.also)
        else:
            rows = {row.pk: row for row in self._rows().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def page_ids(self, bottom):
        known = self.__dict__.get("_ids_read")
        if known is not None and known[0] == bottom:
            return known[1]
        if self.ids_sql is None:
            return ids_of(self.object_list[bottom : bottom + self.per_page])
        sql, params = self.ids_sql(bottom, self.per_page)
        return [] if sql is None else first_column(self.object_list.db, sql, params)

    @cached_property
    def count(self):
        if self.counted_by:
            return self._kept_count()
        with plans.for_values():
            return super().count

    def _kept_count(self):
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(*self.counted_by)
            return int(cursor.fetchone()[0])

    # The cached property that _read_together fills, and the query whose rows it counts.
    counted_name = "count"

    def count_query(self):
        return self.object_list.order_by().values("pk")

    def count_sql(self):
        """(SQL, params) of a statement whose one value is the count."""
        if self.counted_by:
            return self.counted_by
        sql, params = self.count_query().query.get_compiler(self.object_list.db).as_sql()
        return f"SELECT COUNT(*) FROM ({sql}) counted", params

    def _read_together(self, number):
        """PostgreSQL: the list's count and the ids of page `number` in one statement, a round
        trip less than reading one after the other (0.15 to 0.3 ms a list page). Where the count
        is known already or the page is past the last one, the two are read as usual."""
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or self.counted_name in self.__dict__:
            return
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # no page asked for, or not a number: get_page shows the first
        if number < 1:
            return
        bottom = (number - 1) * self.per_page
        try:
            count_sql, count_params = self.count_sql()
            if self.ids_sql is None:
                page = queryset[bottom : bottom + self.per_page].values_list("pk", flat=True)
                ids_sql, ids_params = page.query.get_compiler(queryset.db).as_sql()
            else:
                ids_sql, ids_params = self.ids_sql(bottom, self.per_page)
        except EmptyResultSet:
            return
        if ids_sql is None or self._read_with_rows(connection, bottom, count_sql, count_params, ids_sql, ids_params):
            return
        # The page's ids are its query's first column (a distinct list selects its order's too).
        sql = f"SELECT ({count_sql}), ARRAY(SELECT page.pk FROM ({ids_sql}) page)"
        with connection.cursor() as cursor, plans.for_values():
            cursor.execute(sql, [*count_params, *ids_params])
            count, ids = cursor.fetchone()
        self.__dict__[self.counted_name] = int(count)
        if ids or bottom == 0:
            self.__dict__["_ids_read"] = (bottom, ids)

    def _read_with_rows(self, connection, bottom, count_sql, count_params, ids_sql, ids_params):
        """With `one_plan` and `fields`: the count, the page's ids and their rows in one statement,
        run from one plan kept for any values (core.plans.generic). A focal point's nominations
        took 1.0 ms at the median read in two statements, the second prepared, and 0.8 so: a
        round trip less, and no plan made for the values; planned for them, the one statement
        took 1.6 (its joins). Whether it read them (where generic() may run)."""
        if not (self.one_plan and self.fields) or self.also is not None:
            return False
        reader = rows_by_id(self.object_list.model, tuple(self.fields))
        # The page's bounds as values too: one statement for the list's every page, prepared once.
        bounds = _BOUNDS.search(ids_sql)
        if bounds is not None:
            ids_sql = f"{ids_sql[: bounds.start()]} LIMIT %s OFFSET %s"
            ids_params = [*ids_params, int(bounds[1]), int(bounds[2] or 0)]
        page = f"SELECT ({count_sql}) AS c, ARRAY(SELECT page.pk FROM ({ids_sql}) page) AS a"
        sql, args = plans.numbered(reader.joined(connection, page, ("c", "a"), "h.a"), [*count_params, *ids_params])
        if not plans.keeps_plan(connection, sql):
            return False
        (count, ids), found = reader.split(connection, plans.generic(connection, sql, args, every=True), 2)
        self.__dict__[self.counted_name] = int(count)
        if ids or bottom == 0:
            self.__dict__["_ids_read"] = (bottom, ids)
            self.__dict__["_rows_read"] = (bottom, found)
        return True

    def _rows(self):
        """The list's query without its conditions, order and the search index it may read
        (core.search): the ids already met them and give the order, and a search condition
        would be evaluated again for nothing."""
        rows = self.object_list.all()
        rows.query.where = WhereNode()
        rows.query.extra_tables = ()
        rows.query.clear_ordering(force=True)
        return rows


class BoundedPaginator(IdFirstPaginator):
    """Counts at most `cap` rows: counting every matching row of a large table on each page view
    is what makes a list slow, and nobody pages past the thousandth result."""

    def __init__(self, object_list, per_page, cap=COUNT_CAP, fields=None, counted=None, ids_sql=None, one_plan=False):
        super().__init__(object_list, per_page, fields, ids_sql, counted, one_plan)
        self.cap = cap
        if counted is not None and self.counted_by is None:  # known already (a roster's counts by status)
            self.__dict__["counted"] = counted

    counted_name = "counted"

    def count_query(self):
        return self.object_list.order_by().values("pk")[: self.cap + 1]

    def _read_together(self, number):
        if self.in_index_order or self._known_count() is not None:
            return
        super()._read_together(number)

    def _known_count(self):
        known = search.matches_counted(self.object_list)
        if known is not None and (known <= search.FEW_MATCHES or self.cap <= search.FEW_MATCHES):
            return known
        return None

    @cached_property
    def counted(self):
        if self.in_index_order:
            return len(self.head)
        known = self._known_count()
        if known is not None:
            return known
        if self.counted_by:
            return self._kept_count()
        # Unordered and ids alone: the database counts on any index that has the rows. (Reading
        # the first thousand ids in order instead, to count and page with one query, made
        # PostgreSQL fetch a thousand rows from the table.)
        with plans.for_values():
            return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def in_index_order(self):
        """Whether the list is read in its search index's order (core.search): then its first
        ids come in order as cheaply as they are counted, one query for both; on PostgreSQL the
        search read them already."""
        return bool(self.object_list.query.extra_order_by) or self.searched_head is not None

    @cached_property
    def searched_head(self):
        if self.cap > search.FEW_MATCHES:
            return None
        return search.matches_head(self.object_list)

    @cached_property
    def head(self):
        if self.searched_head is not None:
            return self.searched_head[: self.cap + 1]
        shown = search.shown_head(self.object_list, self.cap + 1)
        if shown is not None:
            return shown
        return ids_of(self.object_list[: self.cap + 1])

    def page_ids(self, bottom):
        rows = search.page_rows(self.object_list, bottom, self.per_page, self.fields)
        if rows is not None:
            self.__dict__["_rows_read"] = (bottom, rows)
        if self.in_index_order:
            return self.head[bottom : bottom + self.per_page]
        read = search.matches_page(self.object_list, bottom, self.per_page)
        if read is not None:
            return read
        return super().page_ids(bottom)

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def capped(self):
        return self.counted > self.cap


def page_asked(request, per_page, fields=None):
    """(offset, size) of the page a list's `page` parameter asks for, for a search that may read
    it with its matches (core.search.matches_page); the first page for anything else. With
    `fields`, (offset, size, fields): the search may read the page's rows too, as the list's
    paginator reads them given those fields."""
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        number = 1
    asked = ((max(number, 1) - 1) * per_page, per_page)
    return asked if fields is None else (*asked, tuple(fields))


def paginate(request, queryset, per_page=20, fields=None, searched=False, counted=None, ids_sql=None, one_plan=False):
    cap = SEARCH_COUNT_CAP if searched else COUNT_CAP
    paginator = BoundedPaginator(queryset, per_page, cap, fields, counted, ids_sql, one_plan)
    return paginator.get_page(request.GET.get("page"))


class IdListPaginator(Paginator):
    """Pages of a list whose ids are known already, in order: each page's rows read by id, as
    IdFirstPaginator reads them with `fields`."""

    def __init__(self, ids, per_page, model, fields):
        super().__init__(ids, per_page)
        self.model, self.fields = model, tuple(fields)

    def page(self, number):
        page = super().page(number)
        ids = list(page.object_list)
        rows = rows_by_id(self.model, self.fields).read(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page


def paginate_ids(request, ids, model, per_page, fields):
    return IdListPaginator(ids, per_page, model, fields).get_page(request.GET.get("page"))
