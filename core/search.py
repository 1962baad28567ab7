"""Full-text search over one normalised column per model, on an index.

Every searchable model has a `search_document` column holding `normalize.document()` of its
texts. SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a GIN
index on its `simple` tsvector. A query is normalised the same way and each of its words must
match the start of an indexed word.
"""

from django.db import connection, connections, models
from django.db.models.expressions import RawSQL

from core import normalize


def _fts_table(table):
    return f"{table}_fts"


def _clean(term):
    return term.replace('"', "").replace("'", "")


def _sqlite_match(groups):
    def one(term, prefix):
        return f'"{term}"*' if prefix else f'"{term}"'

    parts = []
    for group in groups:
        alternatives = [one(term, prefix) for term, prefix in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _pg_query(groups):
    def one(term, prefix):
        return f"'{term}':*" if prefix else f"'{term}'"

    return " & ".join("(" + " | ".join(one(term, prefix) for term, prefix in group) + ")" for group in groups)


# On PostgreSQL, up to this many matches are read first and handed to the list as ids.
FEW_MATCHES = 300


def _pg_match(queryset, fts, tsquery):
    """Few matches are read from the GIN index first, and the list gets their ids: the planner
    then knows how few they are. Given a subquery instead, it misjudged rare words and walked a
    whole table in the list's order, testing each row (120 ms for 133 namesakes of 450,000).
    Many matches stay a subquery: reading 25,000 of them by id costs 50 ms, while walking the
    list's order finds a page of them within a few hundred rows, which the planner then does."""
    sql = f"SELECT id FROM {fts} WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [tsquery, FEW_MATCHES + 1])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= FEW_MATCHES:
        return queryset.filter(pk__in=ids)
    return queryset.filter(pk__in=RawSQL(sql, [tsquery]))


def match_groups(queryset, groups):
    """Records whose document holds, for every group, one of its (term, prefix) alternatives."""
    groups = [[(_clean(t), prefix) for t, prefix in group if _clean(t)] for group in groups]
    groups = [group for group in groups if group]
    if not groups:
        return queryset
    table = queryset.model._meta.db_table
    vendor = connection.vendor
    if vendor == "sqlite":
        fts = _fts_table(table)
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
        return queryset.filter(pk__in=RawSQL(sql, [_sqlite_match(groups)]))
    if vendor == "postgresql":
        return _pg_match(queryset, _fts_table(table), _pg_query(groups))
    condition = models.Q()
    for group in groups:  # other databases: correct, unindexed
        alternatives = models.Q()
        for term, _prefix in group:
            alternatives |= models.Q(search_document__contains=term)
        condition &= alternatives
    return queryset.filter(condition)


def search_filter(queryset, query, expand=None):
    """Narrow a queryset of a Searchable model to the records matching `query`: every word must
    begin an indexed word, or equal one of the extra terms `expand(word)` gives for it."""
    groups = []
    for word in normalize.words(query):
        group = [(normalize.stem(word), True)]
        if expand is not None:
            group += [(term, False) for term in expand(word)]
        groups.append(group)
    return match_groups(queryset, groups)


def documents(*relations):
    """The search columns of the records a list selects with it, for `.defer()`: lists never
    show them, and they are the largest columns of their rows."""
    return [f"{relation}__search_document" if relation else "search_document" for relation in relations]


class SearchQuerySet(models.QuerySet):
    def search(self, query):
        return search_filter(self, query)


class Searchable(models.Model):
    """Abstract base of a model that the search finds; subclasses list their texts."""

    search_document = models.TextField(editable=False, default="", blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_document()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_document" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_document"]
        super().save(*args, **kwargs)

    def search_texts(self):
        raise NotImplementedError

    def refresh_search_document(self):
        self.search_document = normalize.document(*self.search_texts())


def _sqlite_index_sql(table):
    fts = _fts_table(table)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_document, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_document ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document); "
        f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def pg_index_sql(table):
    """PostgreSQL: each record's vector in a narrow table of its own, kept by a trigger and
    indexed. A common word matches thousands of records; reading their ids from a narrow table
    costs little, reading them from the wide rows themselves cost up to 100 ms."""
    fts = _fts_table(table)
    return [
        f"DROP INDEX IF EXISTS {table}_search_gin",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
        f"CREATE TABLE IF NOT EXISTS {fts} (id bigint PRIMARY KEY, search_vector tsvector NOT NULL)",
        f"""CREATE OR REPLACE FUNCTION {fts}_sync() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM {fts} WHERE id = OLD.id;
                RETURN OLD;
            END IF;
            INSERT INTO {fts} (id, search_vector)
            VALUES (NEW.id, to_tsvector('simple'::regconfig, NEW.search_document))
            ON CONFLICT (id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {fts}_sync ON {table}",
        f"CREATE TRIGGER {fts}_sync AFTER INSERT OR UPDATE OF search_document OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {fts}_sync()",
        pg_fill_sql(table),
        f"CREATE INDEX IF NOT EXISTS {fts}_gin ON {fts} USING gin (search_vector)",
    ]


def pg_fill_sql(table):
    fts = _fts_table(table)
    return (
        f"INSERT INTO {fts} (id, search_vector) SELECT id, to_tsvector('simple'::regconfig, search_document) "
        f"FROM {table} ON CONFLICT (id) DO UPDATE SET search_vector = EXCLUDED.search_vector"
    )


def create_index(table):
    """Migration operation that builds the search index of `table` on either database."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        conn = schema_editor.connection
        if conn.vendor == "sqlite":
            statements = _sqlite_index_sql(table)
        elif conn.vendor == "postgresql":
            statements = pg_index_sql(table)
        else:
            statements = []
        for sql in statements:
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        conn = schema_editor.connection
        fts = _fts_table(table)
        if conn.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")
        elif conn.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_sync ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {fts}_sync()")
            schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")

    return migrations.RunPython(forwards, backwards)


def repair_sqlite_indexes(using="default", **kwargs):
    """After migrating: SQLite drops a table's triggers when a migration rebuilds the table
    (adding a column does), so put back any missing trigger and rebuild that index."""
    from django.apps import apps
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for model in apps.get_models():
            if not issubclass(model, Searchable):
                continue
            table = model._meta.db_table
            fts = _fts_table(table)
            if table in present and not {fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"} <= present:
                for sql in _sqlite_index_sql(table):
                    cursor.execute(sql)
