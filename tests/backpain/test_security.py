import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_editor

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
PAGE_TYPES = ["home", "articles:list", "articles:search", "articles:stretches", "assessment:start", "articles:about"]


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGE_TYPES)
def test_security_headers_on_every_page_type(client, url_name, site_content):
    response = client.get(reverse(url_name))
    directives = csp_directives(response)
    for directive in ("script-src", "style-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(directives[directive])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"] and "base-uri" in directives
    assert set(directives["frame-src"]) == {"https://www.youtube-nocookie.com", "https://player.vimeo.com"}
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_article_and_admin_pages_send_the_policy(client, editor_client, site_content):
    article = client.get(reverse("articles:detail", args=["why-stretch-at-bedtime"]))
    admin = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "'unsafe-inline'" not in article["Content-Security-Policy"]
    assert "'unsafe-inline'" not in admin["Content-Security-Policy"]


def test_hsts_and_secure_cookies_in_production():
    """With HTTPS on (the production default) the deploy check passes with no warning at all."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "backpain.settings",
        "DJANGO_SECRET_KEY": "deploy-check-secret-key-that-is-long-and-random-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "backpain.example",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.ADMIN_REQUIRE_2FA)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    hsts, subdomains, *flags = out.stdout.split()
    assert int(hsts) >= 31_536_000 and subdomains == "True"
    assert flags == ["True", "True", "True", "Lax", "True"]


def sign_in(client, username, password, address, forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **headers
    )


@pytest.mark.django_db
@pytest.mark.parametrize("proxy", [False, True])
def test_wrong_passwords_lock_the_account_for_that_address_only(client, proxy):
    """Six wrong passwords lock the editor out from that address, even with forged X-Forwarded-For
    headers; the editor can still sign in from another address."""
    make_editor("alice")
    peer = "127.0.0.1" if proxy else "203.0.113.7"
    for attempt in range(6):
        forged = f"198.51.100.{attempt}, 203.0.113.7" if proxy else f"198.51.100.{attempt}"
        sign_in(client, "alice", "wrong password", peer, forged)
    forged = "192.0.2.99, 203.0.113.7" if proxy else "192.0.2.99"
    locked = sign_in(client, "alice", PASSWORD, peer, forged)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()

    other_client = client.__class__()
    other = "127.0.0.1" if proxy else "203.0.113.8"
    elsewhere = sign_in(other_client, "alice", PASSWORD, other, "203.0.113.8" if proxy else None)
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"


@pytest.mark.django_db
def test_forged_header_from_an_untrusted_peer_is_ignored(rf):
    from backpain.security import client_ip

    request = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"
    behind_proxy = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9")
    assert client_ip(behind_proxy) == "203.0.113.9"
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(garbage) == "127.0.0.1"


@pytest.mark.django_db
@override_settings(ADMIN_REQUIRE_2FA=True)
def test_two_factor_sign_in_requires_a_code(client):
    editor = make_editor("bob")
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    form = client.get(reverse("admin:login"))
    assert 'name="otp_token"' in form.content.decode()
    without_code = client.post(reverse("admin:login"), {"username": "bob", "password": PASSWORD})
    assert without_code.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    with_code = client.post(
        reverse("admin:login"),
        {"username": "bob", "password": PASSWORD, "otp_device": device.persistent_id, "otp_token": f"{token:06d}"},
    )
    assert with_code.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
@override_settings(ADMIN_REQUIRE_2FA=True)
def test_a_signed_in_editor_without_a_second_factor_is_not_let_in(client):
    client.force_login(make_editor("carol"))
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_off_site(client, target):
    make_editor("dave")
    response = client.post(
        reverse("admin:login") + f"?next={target}", {"username": "dave", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith(("//", "/\\"))


@pytest.mark.django_db
def test_unknown_host_header_is_refused(client):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db
def test_rotated_secret_key_keeps_people_signed_in(client, settings):
    editor = make_editor("erin")
    client.force_login(editor)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-after-rotation-0123456789abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.get(reverse("admin:index")).status_code == 200
