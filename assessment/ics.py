"""A nightly calendar reminder as an iCalendar (RFC 5545) file. Pure functions: no request, no database."""

import datetime
import hashlib

MAX_LINE_OCTETS = 75


def escape_text(value):
    """Escape a TEXT value: backslashes, semicolons, commas and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line):
    """Split a content line into pieces of at most 75 octets, continued with CRLF and a space."""
    pieces, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = MAX_LINE_OCTETS if not pieces else MAX_LINE_OCTETS - 1
        if len(current) + len(encoded) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
        current += encoded
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def nightly_reminder(*, key, start, hour, minute, summary, description, url, now):
    """An event every night at ``hour:minute`` in the reader's own time zone (floating time), from ``start``.

    ``key`` makes the UID stable for the same result and time, so importing twice updates one event.
    """
    uid = hashlib.sha256(f"{key}|{hour:02d}{minute:02d}".encode()).hexdigest()[:32]
    first = datetime.datetime.combine(start, datetime.time(hour, minute))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Back Pain Advisor//Bedtime stretch reminder//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@back-pain-advisor",
        f"DTSTAMP:{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{first:%Y%m%dT%H%M%S}",
        "DURATION:PT15M",
        "RRULE:FREQ=DAILY",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:PT0M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
