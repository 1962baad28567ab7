"""Full-text search over one normalised column per model, on an index.

Every searchable model has a `search_document` column holding `normalize.document()` of its
texts. SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a GIN
index on its `simple` tsvector. A query is normalised the same way and each of its words must
match the start of an indexed word.
"""

from django.db import connection, models
from django.db.models.expressions import RawSQL

from core import normalize


def _fts_table(table):
    return f"{table}_fts"


def _sqlite_match(terms):
    return " AND ".join(f'"{term}"*' for term in terms)


def _pg_query(terms):
    return " & ".join(f"{term}:*" for term in terms)


def search_filter(queryset, query):
    """Narrow a queryset of a Searchable model to the records matching `query`."""
    terms = [t.replace('"', "").replace("'", "") for t in normalize.tokens(query)]
    terms = [t for t in terms if t]
    if not terms:
        return queryset
    table = queryset.model._meta.db_table
    vendor = connection.vendor
    if vendor == "sqlite":
        fts = _fts_table(table)
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
        return queryset.filter(pk__in=RawSQL(sql, [_sqlite_match(terms)]))
    if vendor == "postgresql":
        sql = (
            f"to_tsvector('simple'::regconfig, \"{table}\".\"search_document\") @@ to_tsquery('simple'::regconfig, %s)"
        )
        return queryset.filter(RawSQL(sql, [_pg_query(terms)], output_field=models.BooleanField()))
    for term in terms:  # other databases: correct, unindexed
        queryset = queryset.filter(search_document__contains=term)
    return queryset


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


def create_index(table):
    """Migration operation that builds the search index of `table` on either database."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        conn = schema_editor.connection
        fts = _fts_table(table)
        if conn.vendor == "sqlite":
            statements = [
                f"CREATE VIRTUAL TABLE {fts} USING fts5(search_document, content='{table}', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
                f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
                f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_document) "
                "VALUES ('delete', old.id, old.search_document); END",
                f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_document ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_document) "
                "VALUES ('delete', old.id, old.search_document); "
                f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
                f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            ]
        elif conn.vendor == "postgresql":
            statements = [
                f"CREATE INDEX {table}_search_gin ON {table} USING gin "
                "(to_tsvector('simple'::regconfig, search_document))"
            ]
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
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")

    return migrations.RunPython(forwards, backwards)
