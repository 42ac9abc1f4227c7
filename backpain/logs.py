"""Keep the secret in a self-check result's address out of every log.

A result's link is its only key (``/assessment/result/<token>/``), and a retake carries the earlier result's
token as ``previous=``. Both would otherwise be written down in gunicorn's access log (the request line, and
the Referer of the next page a reader opens) and in Django's own warnings ("Not Found: /assessment/...").
``redact`` replaces the token and nothing else, so the logs still show which kind of page was asked for.
Plain text in, plain text out: this module imports neither Django nor gunicorn, and both use it.
"""

import logging
import re

HIDDEN = "[hidden]"
RESULT_TOKEN = re.compile(r"(/result/|[?&;]previous=)[^/?&;#\s\"']+")


def redact(text):
    """``text`` with every result token in it replaced by ``[hidden]``."""
    if "result/" not in text and "previous=" not in text:  # nearly every line: no regular expression needed
        return text
    return RESULT_TOKEN.sub(rf"\g<1>{HIDDEN}", text)


class RedactResultTokens(logging.Filter):
    """A logging filter that takes result tokens out of a record's message (settings.LOGGING uses it)."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redact_access_atoms(atoms):
    """gunicorn's access log values (request line, path, query, Referer, every header) with tokens hidden."""
    return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}
