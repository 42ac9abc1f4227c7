import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, make_editor

pytestmark = pytest.mark.django_db


def test_create_totp_device_prints_the_setup_link():
    make_editor("frank")
    out = io.StringIO()
    call_command("create_totp_device", "frank", stdout=out)
    assert TOTPDevice.objects.filter(user__username="frank", confirmed=True).count() == 1
    assert "otpauth://totp/" in out.getvalue()


def test_create_totp_device_refuses_non_staff():
    UserFactory(username="reader")
    with pytest.raises(CommandError, match="No staff account"):
        call_command("create_totp_device", "reader", stdout=io.StringIO())
