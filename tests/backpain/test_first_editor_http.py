"""The first editor's account in production, end to end: ``create_local_editor`` run as a deployment runs it
(debug off, two-factor sign-in on), then the account signs in through the real sign-in form over HTTP against
gunicorn with the password it printed and a code from the authenticator set-up link it printed."""

import base64
import re
import subprocess
import sys
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django_otp.oath import TOTP

from tests.harness.clients import Tally, Visitor, post_form
from tests.harness.servers import ROOT, GunicornServer, prepare_site, production_env

LOGIN = "/admin/login/"


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_root):
    env = production_env(tmp_path_factory.mktemp("first-editor"), static_root)
    assert "DJANGO_DEBUG" not in env and "DJANGO_ADMIN_2FA" not in env  # production's own defaults
    prepare_site(env)
    server = GunicornServer(env, workers=1)  # its port chosen, not yet started
    printed = subprocess.run(
        [sys.executable, "manage.py", "create_local_editor", "--port", str(server.port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.returncode == 0, printed.stderr
    with server:
        yield server, printed.stdout


def printed_sign_in(output):
    address = re.search(r"sign in at +(\S+)", output).group(1)
    username = re.search(r"username +(\S+)", output).group(1)
    password = re.search(r"password +(\S+)", output).group(1)
    setup = re.search(r"(otpauth://totp/\S+)", output).group(1)
    return address, username, password, setup


def code_from(setup, offset=0):
    """The code an authenticator app that scanned ``setup`` shows now (``offset`` steps later, to be wrong)."""
    query = parse_qs(urlsplit(setup).query)
    secret = query["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=int(query["period"][0]), digits=int(query["digits"][0]))
    totp.time = totp.time + offset * totp.step
    return f"{totp.token():0{int(query['digits'][0])}d}"


def test_the_printed_address_password_and_authenticator_set_up_sign_in_over_http(site):
    server, output = site
    address, username, password, setup = printed_sign_in(output)
    assert address == f"{server.url}/admin/"
    assert "█" in output  # the QR code to scan, drawn in the terminal
    assert unquote(urlsplit(setup).path) == f"/Back Pain Advisor:{username}"  # how the app lists it

    editor = Visitor(server.url, Tally(), "editor", forwarded_for="198.51.100.1")
    page = editor.get(LOGIN).text
    assert "6-digit code from your authenticator app" in page and 'autocomplete="one-time-code"' in page
    assert "OTP Device" not in page and "<select" not in page
    form = post_form(page, LOGIN)
    signed_in = editor.post(
        LOGIN,
        form.with_values(username=username, password=password, otp_token=code_from(setup), next="/admin/"),
        expect=(302,),
    )
    assert signed_in.location == "/admin/"
    home = editor.get("/admin/").text
    assert "Moderation queue" in home and "Reviews due" in home  # an editor's front page, with its cards
    assert editor.get("/admin/articles/article/").status == 200


HOSTILE_CODES = {
    "wrong": "",
    "empty": "",
    "huge": "1" * 5000,
    "markup": "<script>alert(1)</script>",
    "arabic-digits": "\u0661\u0662\u0663\u0664\u0665\u0666",
    "spaced-long": "12 34 56 78 90",
    "nul": "\x00123456",
}


@pytest.mark.parametrize("kind", HOSTILE_CODES)
def test_a_wrong_or_hostile_code_is_refused_with_a_clear_message(site, kind):
    """Each from an address of its own (behind the trusted proxy), so django-axes's lockout after five failures
    from one address never decides the answer."""
    server, output = site
    _, username, password, setup = printed_sign_in(output)
    code = HOSTILE_CODES[kind]
    if kind == "wrong":
        code = code_from(setup, offset=10)  # five minutes from now: outside the tolerance for a slow phone clock
    address = f"198.51.100.{10 + list(HOSTILE_CODES).index(kind)}"
    editor = Visitor(server.url, Tally(), "editor", forwarded_for=address)
    form = post_form(editor.get(LOGIN).text, LOGIN)
    refused = editor.post(
        LOGIN, form.with_values(username=username, password=password, otp_token=code, next="/admin/"), expect=(200,)
    )
    assert "and the 6-digit code your authenticator app shows now" in refused.text
    assert password not in refused.text and "<script>alert(1)</script>" not in refused.text
    assert editor.get("/admin/", expect=(302,)).location.startswith(LOGIN)  # still signed out
