"""Self-check result tokens never reach a log: not gunicorn's access log, not Django's warnings."""

import logging
import runpy

import pytest

from backpain.logs import RedactResultTokens, redact, redact_access_atoms
from tests.backpain.test_production import fetch
from tests.harness.servers import ROOT, GunicornServer, prepare_site, production_env

TOKEN = "Abc-_123456789012345678901234567890123456789"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET /assessment/result/{TOKEN}/ HTTP/1.1", "GET /assessment/result/[hidden]/ HTTP/1.1"),
        (f"/assessment/result/{TOKEN}/reminder.ics?time=21:30", "/assessment/result/[hidden]/reminder.ics?time=21:30"),
        (f"https://site.example/assessment/result/{TOKEN}", "https://site.example/assessment/result/[hidden]"),
        (f"GET /assessment/?previous={TOKEN}&x=1 HTTP/1.1", "GET /assessment/?previous=[hidden]&x=1 HTTP/1.1"),
        ("GET /articles/why-stretch-at-bedtime/ HTTP/1.1", "GET /articles/why-stretch-at-bedtime/ HTTP/1.1"),
    ],
)
def test_redact_hides_the_token_and_keeps_the_rest(text, expected):
    assert redact(text) == expected


def test_the_filter_rewrites_a_formatted_record():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/assessment/result/{TOKEN}/",), None
    )
    assert RedactResultTokens().filter(record) is True
    assert record.getMessage() == "Not Found: /assessment/result/[hidden]/"


def test_access_atoms_are_redacted_whatever_their_name():
    atoms = {"r": f"GET /assessment/result/{TOKEN}/ HTTP/1.1", "f": f"http://x/assessment/result/{TOKEN}/", "s": 200}
    atoms["{referer}i"] = atoms["f"]
    cleaned = redact_access_atoms(atoms)
    assert TOKEN not in repr(cleaned) and cleaned["s"] == 200


def test_gunicorn_logs_no_result_token(tmp_path, static_root):
    """Real gunicorn with the project's gunicorn.conf.py: open a result, its reminder, a wrong result link,
    then another page with the result as Referer; neither the access log nor the error log holds a token."""
    from tests.harness.clients import Tally, Visitor, take_selfcheck

    access_log = tmp_path / "access.log"
    env = production_env(tmp_path, static_root, GUNICORN_ACCESS_LOG=str(access_log))
    prepare_site(env)
    server = GunicornServer(env, workers=1, log_path=tmp_path / "gunicorn.log")
    with server:
        reader = Visitor(server.url, Tally(), "reader")
        result = take_selfcheck(reader, answer=1)
        token = result.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 43
        assert "Points from your home checks" in reader.get(result).text
        reader.get(f"{result}reminder.ics?time=21:30")
        missing = result.replace(token, token[::-1])
        assert fetch(server.url + missing)[0] == 404
        assert fetch(server.url + "/stretches/", Referer=server.url + result)[0] == 200
        assert fetch(server.url + f"/assessment/?previous={token}")[0] == 200
    access, errors = access_log.read_text(), server.log_path.read_text()
    assert access.count("/assessment/result/[hidden]/") >= 4
    assert f'"{server.url}/assessment/result/[hidden]/"' in access  # the Referer, on the /stretches/ line
    assert "Not Found: /assessment/result/[hidden]/" in errors
    for log in (access, errors):
        assert token not in log and token[::-1] not in log


def test_gunicorns_own_error_messages_hide_the_token(tmp_path):
    """gunicorn names the URI when a request fails outside Django ("Error handling request /..."): hidden too."""
    from gunicorn.config import Config

    logger_class = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"]
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = logger_class(config)
    logger.error("Error handling request %s", f"/assessment/result/{TOKEN}/")
    logger.setup(config)  # a configuration reload: still hidden, and the filter is not added twice
    logger.error("Error handling request %s", f"/assessment/result/{TOKEN}/reminder.ics")
    text = (tmp_path / "error.log").read_text()
    assert TOKEN not in text
    assert text.count("Error handling request /assessment/result/[hidden]/") == 2
