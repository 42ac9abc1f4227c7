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


def _event(*, uid, stamp, start, summary, description, url, repeat=""):
    """The lines of one VEVENT with a display alarm at its start."""
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}@back-pain-advisor",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        "DURATION:PT15M",
        *([f"RRULE:{repeat}"] if repeat else []),
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:PT0M",
        "END:VALARM",
        "END:VEVENT",
    ]


def nightly_reminder(*, key, start, hour, minute, nights, summary, description, review, url, now):
    """Events in the reader's own time zone (floating time): every night at ``hour:minute`` for ``nights``
    nights from ``start``, then on the next night a one-off ``review`` (a (summary, description) pair).

    ``key`` makes the UIDs stable for the same result and time, so importing twice updates the same events.
    """
    uid = hashlib.sha256(f"{key}|{hour:02d}{minute:02d}".encode()).hexdigest()[:32]
    first = datetime.datetime.combine(start, datetime.time(hour, minute))
    stamp = f"{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    review_summary, review_description = review
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Back Pain Advisor//Bedtime stretch reminder//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_event(
            uid=uid,
            stamp=stamp,
            start=first,
            summary=summary,
            description=description,
            url=url,
            repeat=f"FREQ=DAILY;COUNT={nights}",
        ),
        *_event(
            uid=f"{uid}-review",
            stamp=stamp,
            start=first + datetime.timedelta(days=nights),
            summary=review_summary,
            description=review_description,
            url=url,
        ),
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
