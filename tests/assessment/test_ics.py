"""The calendar reminder file: escaped text, folded lines, CRLF endings, nightly for a while, then a review."""

import datetime

from assessment import ics


def test_text_is_escaped():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_nightly_reminder():
    body = ics.nightly_reminder(
        key="secret-token",
        start=datetime.date(2026, 11, 24),
        hour=21,
        minute=5,
        nights=42,
        summary="Bedtime stretches",
        description="Stretch, then sleep.",
        review=("Six weeks on", "How is it going?"),
        url="https://example.org/r/",
        now=datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC),
    )
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20261124T210500" in lines
    assert "DTSTAMP:20261124T120000Z" in lines
    assert "RRULE:FREQ=DAILY;COUNT=42" in lines  # it ends after six weeks
    assert lines.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20270105T210500" in lines  # the review, 42 nights later, once
    assert "SUMMARY:Six weeks on" in lines and lines.count("RRULE:FREQ=DAILY;COUNT=42") == 1
    assert "secret-token" not in body
    again = ics.nightly_reminder(
        key="secret-token",
        start=datetime.date(2026, 12, 1),
        hour=21,
        minute=5,
        nights=42,
        summary="x",
        description="y",
        review=("r", "s"),
        url="u",
        now=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    assert [line for line in lines if line.startswith("UID:")] == [
        line for line in again.split("\r\n") if line.startswith("UID:")
    ]
