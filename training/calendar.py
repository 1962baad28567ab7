"""The iCalendar (RFC 5545) feed of published offerings."""

from datetime import timedelta
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from core.i18n import localized


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


# How often subscribers are asked to read the feed again, and how long a process keeps it.
REFRESH = "PT1H"
KEPT_SECONDS = 300
# How far back the feed goes: a year of past offerings, as a subscriber's calendar shows them.
HISTORY = timedelta(days=366)
# What an event says, read alone: the offerings' and courses' other texts are most of their rows.
FIELDS = [
    "code", "start_date", "end_date", "venue_en", "venue_ar", "status",
    "course__title_en", "course__title_ar", "course__summary_en", "course__summary_ar",
]  # fmt: skip


def render(offerings, request):
    host = request.get_host().split(":")[0]
    # Each event's address is the same but for its code: reversed once, not once per event.
    marker = "--code--"
    address = request.build_absolute_uri(reverse("training:offering_detail", args=[marker]))
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Shiraka//Catalogue//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape("Shiraka"),
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    for offering in offerings:
        url = address.replace(marker, quote(offering.code))
        lines += [
            "BEGIN:VEVENT",
            f"UID:offering-{offering.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{offering.start_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{offering.end_date + timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + _escape(f"{offering.code} · {localized(offering.course, 'title')}"),
            "LOCATION:" + _escape(offering.venue),
            "DESCRIPTION:" + _escape(localized(offering.course, "summary")),
            f"URL:{url}",
            "STATUS:" + ("CANCELLED" if offering.status == "cancelled" else "CONFIRMED"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
