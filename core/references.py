"""Reference rows (areas, nations) as lists filter by them: their codes, ids and names.

They are a few hundred rows that change a few times a year, and every filtered list read them:
one query of four on a catalogue page, a round trip of a fifth of a millisecond on PostgreSQL.
Each process keeps them for settings.REFERENCE_SECONDS; a save or delete in this process, or
any commit after one, forgets them at once, and other processes read them again within that
time."""

import time

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.plain import Compiled
from core.rows import chooser

_kept = {}
# (rows, {id: row}) of each model's rows as row_of reads them.
_by_id = {}


def _read(context):
    model, first, second = context
    return model.objects.order_by(first, "pk").values_list("code", "pk", first, second)


# Built once for each model and reading order: through the ORM, reading the 15 areas cost a
# catalogue page 0.25 ms, nine times what the database took.
_rows = Compiled(_read, values=0, key=lambda context: context)


def rows(model, first, second, using="default"):
    """(code, id, `first`, `second`) of each row of `model`, in the order of `first`, then id."""
    key = (using, model, first, second)
    kept = _kept.get(key)
    if kept is None or time.monotonic() - kept[0] > settings.REFERENCE_SECONDS:
        kept = _kept[key] = (time.monotonic(), _rows.rows((model, first, second), using=using))
    return kept[1]


def row_of(model, pk, using="default"):
    """(code, id, name_en, name_ar) of `model`'s row `pk`, or None. A list's rows take their
    nation from here rather than joining the table: PostgreSQL built a hash of all 150 nations
    for each page of 25 nominations (0.13 ms of its 0.53)."""
    row = _indexed(model, using).get(pk)
    if row is None and pk is not None:  # made since, by another process: read them again
        _kept.pop((using, model, "name_en", "name_ar"), None)
        row = _indexed(model, using).get(pk)
    return row


def _indexed(model, using):
    """{id: row} of `model`'s rows as rows() keeps them, made again when rows() reads them again."""
    listed = rows(model, "name_en", "name_ar", using)
    found = _by_id.get((using, model))
    if found is None or found[0] is not listed:
        found = _by_id[(using, model)] = (listed, {row[1]: row for row in listed})
    return found[1]


def code_of(model, pk):
    """The code of `model`'s row `pk` (a nation's, in a list's row), as row_of keeps it."""
    return row_of(model, pk)[0]


def namer(model):
    """A function giving the name, in the reader's language, of `model`'s row of an id: the
    rows of one page, as row_of keeps them."""
    pick, names = chooser(), {}

    def name(pk):
        if pk not in names:
            _code, _pk, name_en, name_ar = row_of(model, pk)
            names[pk] = pick({"name_en": name_en, "name_ar": name_ar}, "name")
        return names[pk]

    return name


def pk_of(model, code, using="default"):
    """The id of `model`'s row of `code`, or None."""
    for row_code, pk, _first, _second in rows(model, "code", "code", using):
        if row_code == code:
            return pk
    return None


def forget(*args, **kwargs):
    _kept.clear()
    _by_id.clear()


def _changed(sender, **kwargs):
    forget()
    # A transaction still open may be rolled back: what was read meanwhile is forgotten too.
    transaction.on_commit(forget, using=kwargs.get("using"))


def watch(*models):
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"references-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"references-delete-{model._meta.label}")
