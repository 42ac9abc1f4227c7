"""Print the nginx configuration for this site: backpain/deploy/nginx.conf with its placeholders filled in.

The paths (static files, uploads), the admin's address and the two body limits come from the site's own
settings, so run it with the same environment as gunicorn and nginx refuses exactly what the site would.
The rest (host names, addresses, certificate) are options. The README's "Deploying" section shows its use;
the nginx test renders its configuration with it too.
"""

import getpass
import re
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

TEMPLATE = Path(settings.BASE_DIR) / "backpain" / "deploy" / "nginx.conf"
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
# Characters that would end or split an nginx directive if they turned up in a value.
UNSAFE = re.compile(r"[;{}#\"'\\\n\r]")


def checked(name, value):
    value = str(value)
    if not value or UNSAFE.search(value):
        raise CommandError(f"{name}={value!r}: empty, or holds a character nginx would misread (;{{}}#\"'\\).")
    return value


def upstream_servers(addresses):
    """The upstream block's lines: one ``server`` per gunicorn address."""
    addresses = addresses or ["127.0.0.1:8000"]
    return "\n        ".join(f"server {checked('--upstream', address)};" for address in addresses)


def render(values, template=TEMPLATE):
    """The template with every placeholder replaced; refuses a missing value or one nginx would misread."""
    text = Path(template).read_text()
    wanted = set(PLACEHOLDER.findall(text))
    missing = sorted(wanted - set(values))
    if missing:
        raise CommandError("No value for " + ", ".join(missing))
    filled = {name: values[name] if name == "UPSTREAM_SERVERS" else checked(name, values[name]) for name in wanted}
    return PLACEHOLDER.sub(lambda match: str(filled[match.group(1)]), text)


def default_user():
    """www-data (Debian's nginx user) when run as root; otherwise nginx runs as whoever starts it."""
    user = getpass.getuser()
    return "www-data" if user == "root" else user


class Command(BaseCommand):
    help = "Print the nginx.conf for this site (backpain/deploy/nginx.conf, filled in from the settings)."

    def add_arguments(self, parser):
        parser.add_argument("--server-name", required=True, help="Host names nginx answers to, space-separated.")
        parser.add_argument("--certificate", required=True, help="TLS certificate chain (PEM file).")
        parser.add_argument("--certificate-key", required=True, help="The certificate's private key (PEM file).")
        parser.add_argument(
            "--upstream",
            action="append",
            help="gunicorn's address (GUNICORN_BIND; default 127.0.0.1:8000); once per instance for several.",
        )
        parser.add_argument("--https-listen", default="443", help="Where nginx listens for HTTPS.")
        parser.add_argument("--http-listen", default="80", help="Where nginx listens for plain HTTP (redirects).")
        parser.add_argument("--user", default=None, help="User nginx's workers run as (default: www-data as root).")
        parser.add_argument("--pid-file", default="/run/nginx.pid")
        parser.add_argument("--log-dir", default="/var/log/nginx")
        parser.add_argument("--temp-dir", default="/var/lib/nginx", help="Where nginx spools large bodies.")
        parser.add_argument(
            "--acme-root", default="/var/www/letsencrypt", help="Folder of HTTP-01 challenges (certbot --webroot)."
        )

    def handle(self, *args, **options):
        values = {
            "SERVER_NAME": options["server_name"],
            "TLS_CERTIFICATE": options["certificate"],
            "TLS_CERTIFICATE_KEY": options["certificate_key"],
            "UPSTREAM_SERVERS": upstream_servers(options["upstream"]),
            "HTTPS_LISTEN": options["https_listen"],
            "HTTP_LISTEN": options["http_listen"],
            "USER": options["user"] or default_user(),
            "PID_FILE": options["pid_file"],
            "LOG_DIR": options["log_dir"].rstrip("/"),
            "TEMP_DIR": options["temp_dir"].rstrip("/"),
            "ACME_ROOT": options["acme_root"].rstrip("/"),
            "STATIC_ROOT": str(settings.STATIC_ROOT).rstrip("/"),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT).rstrip("/"),
            "ADMIN_URL": "/" + settings.ADMIN_URL,
            "MAX_ANON_BODY_BYTES": settings.MAX_ANON_BODY_BYTES,
            "MAX_ADMIN_BODY_BYTES": settings.MAX_ADMIN_BODY_BYTES,
        }
        self.stdout.write(render(values), ending="")
