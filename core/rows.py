"""Rows of the long lists, read as values and written in Python.

A page of 25 nominations spent 2 ms building model instances of each row's person, offering,
course and nation, and as long again in the template engine (a lookup per cell, a reverse() and
a date format per row), against half a millisecond of SQL. The long lists read the columns they
show as values and write their rows with these helpers; their templates write the rest."""

from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from core.i18n import current_language

MARKER = "4004004004"


def text(value):
    """A value as HTML text. The standard library's escape, as Django's is, without Django's
    check of every argument for a lazy translation, which a row of values never holds."""
    return escape(str(value))


def url_maker(name):
    """A function of one argument giving the URL of `name`, reversed once per page: reverse()
    per row cost more than writing the row."""
    head, tail = reverse(name, args=[MARKER]).split(MARKER, 1)
    head, tail = escape(head), escape(tail)
    return lambda arg: f"{head}{escape(quote(str(arg), safe=RFC3986_SUBDELIMS + '~:@'))}{tail}"


def chooser():
    """A function reading a bilingual value of a row in the reader's language, falling back to
    the other: pick(row, "name") is row["name_ar"] in Arabic if it has one."""
    first, second = ("_ar", "_en") if current_language() == "ar" else ("_en", "_ar")
    return lambda row, field: row[field + first] or row[field + second]


def badge(kind, status, label):
    """The coloured badge of a status with its label in the reader's language: `kind` is
    "status" for offerings, "nomination" for nominations."""
    return f'<span class="badge {kind}-{text(status)}" data-status="{text(status)}">{text(label)}</span>'
