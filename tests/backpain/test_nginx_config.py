"""manage.py nginx_config: backpain/deploy/nginx.conf filled in from the site's own settings, refusing values
nginx would misread. (tests/test_nginx_http.py runs the result in front of gunicorn.)"""

import io
import re

import pytest
from django.core.management import CommandError, call_command

OPTIONS = ["--server-name", "backpain.example", "--certificate", "/etc/tls/cert.pem", "--certificate-key", "/k.pem"]


def rendered(*extra):
    out = io.StringIO()
    call_command("nginx_config", *OPTIONS, *extra, stdout=out)
    return out.getvalue()


def test_body_limits_paths_and_admin_address_come_from_the_settings(settings, tmp_path):
    settings.MAX_ANON_BODY_BYTES = 1234
    settings.MAX_ADMIN_BODY_BYTES = 56789
    settings.ADMIN_URL = "editors/"
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.MEDIA_ROOT = tmp_path / "uploads"
    config = rendered()
    assert "{{" not in config
    assert re.search(r"^    client_max_body_size 1234;$", config, re.MULTILINE)
    admin = config[config.index("location /editors/ {") :]
    assert admin.index("client_max_body_size 56789;") < admin.index("}")
    assert "location = /editors/login/ {" in config
    assert f"alias {tmp_path}/collected/;" in config
    assert f"alias {tmp_path}/uploads/;" in config


def test_each_upstream_is_a_server_line():
    config = rendered("--upstream", "127.0.0.1:8001", "--upstream", "127.0.0.1:8002")
    assert "server 127.0.0.1:8001;\n        server 127.0.0.1:8002;\n" in config
    assert "server 127.0.0.1:8000;" in rendered()


@pytest.mark.parametrize("name", ["backpain.example; include /etc/passwd", "a{b", "x # y", ""])
def test_a_value_nginx_would_misread_is_refused(name):
    with pytest.raises(CommandError, match="SERVER_NAME"):
        call_command("nginx_config", "--server-name", name, *OPTIONS[2:], stdout=io.StringIO())
