"""Two-factor sign-in to the admin (backpain.admin.TwoFactorLoginForm): whatever fails, the password or the code,
the answer is the one a wrong password gets, nothing typed is sent back, and django-axes counts every failure."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, make_editor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor")]

PASSWORD = "correct horse battery staple"
MESSAGE = (
    "Please enter the correct username and password of an editor&#x27;s account, and the 6-digit code your "
    "authenticator app shows now."
)


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def totp_device(user, name="Sam's phone"):
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 1) % 10**6:06d}"


def sign_in(client, username, password, code="", address="203.0.113.7"):
    data = {"username": username, "password": password, "otp_token": code, "next": "/admin/"}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address)


def without_csrf_token(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def headers_but_the_clock(response):
    return {name: value for name, value in response.headers.items() if name != "Expires"}


@pytest.fixture
def sam():
    editor = make_editor("sam")
    return editor, totp_device(editor)


FAILURES = {
    "no code": lambda device: "",
    "a wrong code": wrong_code_for,
    "a code of letters": lambda device: "abcdef",
    "a very long code": lambda device: "1" * 100,
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_right_password_without_its_code_reads_exactly_like_a_wrong_password(sam, failure):
    editor, device = sam
    wrong_password = sign_in(Client(), "sam", "not the password", code_for(device), address="203.0.113.1")
    right_password = sign_in(Client(), "sam", PASSWORD, FAILURES[failure](device), address="203.0.113.2")
    assert right_password.status_code == wrong_password.status_code == 200
    assert without_csrf_token(right_password) == without_csrf_token(wrong_password)
    assert headers_but_the_clock(right_password) == headers_but_the_clock(wrong_password)
    page = without_csrf_token(right_password)
    assert MESSAGE in page
    assert "otp_device" not in page and "select a device" not in page.lower() and "Sam&#x27;s phone" not in page
    assert PASSWORD not in page and "not the password" not in page


def test_other_accounts_that_may_not_sign_in_read_the_same(sam):
    """A reader's account, an inactive editor and an editor with no device, each with its right password and a
    right code where it has a device: the same page as a wrong password."""
    reader = UserFactory(username="reader")
    inactive = make_editor("gone")
    inactive.is_active = False
    inactive.save()
    make_editor("nodevice")
    wrong = without_csrf_token(sign_in(Client(), "sam", "not the password", address="203.0.113.1"))
    for number, user in enumerate([reader, inactive], start=2):
        response = sign_in(Client(), user.username, PASSWORD, code_for(totp_device(user)), f"203.0.113.{number}")
        assert response.status_code == 200
        assert without_csrf_token(response) == wrong.replace('value="sam"', f'value="{user.username}"')
    response = sign_in(Client(), "nodevice", PASSWORD, "123456", "203.0.113.9")
    assert without_csrf_token(response) == wrong.replace('value="sam"', 'value="nodevice"')


def test_neither_the_password_nor_the_code_is_sent_back(sam):
    _, device = sam
    code = wrong_code_for(device)
    page = sign_in(Client(), "sam", PASSWORD, code).content.decode()
    assert PASSWORD not in page and code not in page
    assert 'name="password"' in page and 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page


def test_five_failures_of_either_factor_lock_the_account_from_that_address(sam):
    editor, device = sam
    client = Client()
    for password, code in [
        ("not the password", ""),
        (PASSWORD, ""),
        (PASSWORD, wrong_code_for(device)),
        ("still not it", code_for(device)),
    ]:
        assert sign_in(client, "sam", password, code).status_code == 200
    assert AccessAttempt.objects.get(username="sam").failures_since_start == 4
    fifth = sign_in(client, "sam", PASSWORD, wrong_code_for(device))
    assert fifth.status_code == 429
    locked = sign_in(client, "sam", PASSWORD, code_for(device))
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    # django_otp also pauses a device for a few seconds after wrong codes; that pause is not what is tested here.
    device.refresh_from_db()
    device.throttle_reset()
    elsewhere = Client()
    assert sign_in(elsewhere, "sam", PASSWORD, code_for(device), address="198.51.100.4").status_code == 302


def test_four_failures_then_the_right_password_and_code_sign_in_and_start_the_count_again(sam):
    _, device = sam
    client = Client()
    for password, code in [("wrong one", ""), (PASSWORD, ""), ("wrong two", ""), (PASSWORD, "")]:
        assert sign_in(client, "sam", password, code).status_code == 200
    response = sign_in(client, "sam", PASSWORD, code_for(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert not AccessAttempt.objects.filter(username="sam").exists()


def test_a_code_typed_with_spaces_signs_in(sam):
    _, device = sam
    client = Client()
    code = code_for(device)
    assert sign_in(client, "sam", PASSWORD, f" {code[:3]} {code[3:]} ").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_backup_code_signs_in_once(sam):
    editor, _ = sam
    backup = StaticDevice.objects.create(user=editor, name="Backup codes", confirmed=True)
    backup.token_set.create(token="k7m2p9qd")
    client = Client()
    assert sign_in(client, "sam", PASSWORD, "k7m2p9qd").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert sign_in(Client(), "sam", PASSWORD, "k7m2p9qd", address="203.0.113.8").status_code == 200


def test_another_editors_code_does_not_sign_in(sam):
    other = make_editor("alex")
    response = sign_in(Client(), "sam", PASSWORD, code_for(totp_device(other, "Alex's phone")))
    assert response.status_code == 200 and MESSAGE in response.content.decode()
