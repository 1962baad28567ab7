"""Dates as Arabic readers expect them: both month-name systems (يوليو / تموز)."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dates import MONTHS

from core.i18n import current_language

MONTHS_AR = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
MONTHS_LEVANT = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]


def month_name_ar(month):
    return f"{MONTHS_AR[month - 1]}/{MONTHS_LEVANT[month - 1]}"


# Month names of each language, translated once: lists show a date or two on every row.
_month_names = {}


def month_names(lang=None):
    """{month number: name} in the reader's language, as Django's "F" date format writes them."""
    lang = lang or current_language()
    names = _month_names.get(lang)
    if names is None:
        names = _month_names[lang] = {
            number: month_name_ar(number) if lang == "ar" else str(name) for number, name in MONTHS.items()
        }
    return names


class Dates:
    """The two date writers below, bound to the reader's language once: a list writes them on
    every row."""

    def __init__(self):
        self.lang = current_language()
        self.names = month_names(self.lang)

    def long(self, value):
        return f"{value.day} {self.names[value.month]} {value.year}" if value else ""

    def range(self, start, end=None):
        if not start:
            return ""
        if end is None or end == start:
            return self.long(start)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {self.names[start.month]} {start.year}"
        if start.year == end.year and self.lang != "ar":
            return f"{start.day} {self.names[start.month]} – {self.long(end)}"
        return f"{self.long(start)} – {self.long(end)}"


def long_date(value):
    return Dates().long(value)


def short_range(start, end=None):
    """ "3–7 March 2027" style, for an offering's dates."""
    return Dates().range(start, end)


def moment(on=None, hour=9):
    """Now, or a time of a past day being recorded (importing a centre's history); never later
    than now, so that what is recorded for today sorts before what happens next."""
    now = timezone.now()
    if on is None:
        return now
    return min(timezone.make_aware(datetime.combine(on, time(hour))), now)
