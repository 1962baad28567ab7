"""Dates as Arabic readers expect them: both month-name systems (يوليو / تموز)."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.formats import date_format

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


def long_date(value):
    if not value:
        return ""
    if current_language() == "ar":
        return f"{value.day} {month_name_ar(value.month)} {value.year}"
    return date_format(value, "j F Y")


def short_range(start, end=None):
    """ "3–7 March 2027" style, for an offering's dates."""
    if not start:
        return ""
    if end is None or end == start:
        return long_date(start)
    if current_language() == "ar":
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {month_name_ar(start.month)} {start.year}"
        return f"{long_date(start)} – {long_date(end)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {date_format(start, 'F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{long_date(start)} – {long_date(end)}"


def moment(on=None, hour=9):
    """Now, or a time of a past day being recorded (importing a centre's history); never later
    than now, so that what is recorded for today sorts before what happens next."""
    now = timezone.now()
    if on is None:
        return now
    return min(timezone.make_aware(datetime.combine(on, time(hour))), now)
