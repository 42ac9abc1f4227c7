"""The HTTP clients the tests and ``bench/`` drive the site with, on 127.0.0.1 only.

- ``Visitor``: one person with their own cookies, who reads pages and sends their forms back as a browser
  would (``read_forms``, ``post_form``, ``take_selfcheck``, ``post_comment``); every request is timed into a
  ``Tally``.
- ``fetch``: one plain request with ``urllib``, for a page, a header or a static file.
- ``raw_request``: bytes exactly as given on a socket, for requests no ordinary client would send.
"""

import contextlib
import http.client
import http.cookies
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost"}
CLIENT_TIMEOUT = 120  # seconds: on 2 cores, 500 people queue for a long time; slow is not failed
# The one address a reader types or clicks to begin; every later step follows the site's own redirects.
# The headers every page must carry alike, however it was served (rendered, or from the page cache).
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Content-Type",
)
SELFCHECK_START = "/assessment/"
SELFCHECK_CHECK = "/assessment/check-your-answers/"
RESULT_PREFIX = "/assessment/result/"
FORM_BLOCK = re.compile(r"<form\b.*?</form>", re.DOTALL | re.IGNORECASE)
STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3})")


class Failed(Exception):
    """A request failed: no connection, no answer, or not the answer a person would need to carry on."""


def check_target(url):
    """Refuse any address but this machine's: the drill must never load someone else's server."""
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"Refusing to send load to {url!r}: only 127.0.0.1 or localhost.")
    return url


class Tally:
    """Every request's status (None for a connection error) and time, by kind of work, from every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.seconds = {}
        self.accepted = Counter()

    def record(self, kind, status, seconds):
        with self.lock:
            self.statuses.setdefault(kind, Counter())[status] += 1
            self.seconds.setdefault(kind, []).append(seconds)

    def accept(self, kind):
        with self.lock:
            self.accepted[kind] += 1

    def summary(self, kind=None):
        """Counts, error rate and latency percentiles for one kind of work, or for all of it (``None``)."""
        kinds = [kind] if kind is not None else list(self.statuses)
        statuses = sum((self.statuses.get(k, Counter()) for k in kinds), Counter())
        times = sorted(t for k in kinds for t in self.seconds.get(k, []))
        requests = sum(statuses.values())
        client = sum(n for s, n in statuses.items() if s is not None and 400 <= s < 500)
        server = sum(n for s, n in statuses.items() if s is not None and s >= 500)
        errors = statuses.get(None, 0)
        return {
            "requests": requests,
            "accepted": sum(self.accepted[k] for k in kinds),
            "4xx": client,
            "5xx": server,
            "connection errors": errors,
            "error rate": (client + server + errors) / requests if requests else 0.0,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }


def percentile(sorted_values, percent):
    """Nearest-rank percentile of already sorted values, in milliseconds; 0 when there are none."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[int(rank) - 1] * 1000


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self):
        """The redirect's target as a path (the site redirects within itself)."""
        parts = urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Visitor:
    """One person with their own cookies (and, optionally, their own address behind the trusted proxy).

    Each request opens a new connection: gunicorn's sync workers close it after every answer anyway.
    ``base`` may change between requests, to move the same person to another instance. An ``https://`` base
    needs ``tls``, an SSL context that trusts the server's certificate; ``source`` is the address to send
    from (any 127.x.y.z: Linux answers the whole loopback network), so one machine can be many visitors to
    a proxy in front; ``headers`` go with every request.
    """

    def __init__(
        self, base, tally, kind, forwarded_for=None, timeout=CLIENT_TIMEOUT, tls=None, source=None, headers=None
    ):
        self.tls = tls
        self.base = base
        self.tally = tally
        self.kind = kind
        self.forwarded_for = forwarded_for
        self.timeout = timeout
        self.source = source
        self.headers = dict(headers or {})
        self.cookies = {}

    @property
    def base(self):
        return self._base

    @base.setter
    def base(self, url):
        self._base = check_target(url.rstrip("/"))
        parts = urlsplit(self._base)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port or (443 if self.https else 80)

    def get(self, path, expect=(200,)):
        return self.request("GET", path, expect=expect)

    def post(self, path, fields, expect=(302, 303)):
        return self.request("POST", path, fields, expect=expect)

    def request(self, method, path, fields=None, expect=(200,)):
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        source = (self.source, 0) if self.source else None
        if self.https:
            connection = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=self.tls, source_address=source
            )
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=source)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            self.tally.record(self.kind, None, time.monotonic() - started)
            raise Failed(f"{method} {path}: {exc!r}") from exc
        finally:
            connection.close()
        self.tally.record(self.kind, answer.status, time.monotonic() - started)
        self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        response = Response(answer.status, answer.headers, content.decode("utf-8", errors="replace"))
        if answer.status not in expect:
            raise Failed(f"{method} {path}: {answer.status}, expected {expect}")
        return response

    def keep_cookies(self, headers):
        for header in headers:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":  # Django deletes a cookie with Max-Age=0
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class Form:
    """One form as a browser would send it untouched, plus each choice field's possible values."""

    def __init__(self, attrs):
        self.method = (attrs.get("method") or "get").lower()
        self.action = urlsplit(attrs.get("action") or "").path
        self.fields = []
        self.options = {}

    def value(self, name):
        return next((value for key, value in self.fields if key == name), None)

    def with_values(self, **changes):
        """The fields with some values replaced (or added), each name once."""
        fields = [(key, changes.get(key, value)) for key, value in self.fields]
        fields += [(key, value) for key, value in changes.items() if self.value(key) is None]
        return fields


class FormReader(HTMLParser):
    """Read the forms of a page: inputs, checked boxes and radios, text areas, selected options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.text_name = None  # the textarea or option being read
        self.text = []
        self.select = None
        self.select_default = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(attrs))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            value = attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")
            if kind in {"checkbox", "radio"}:
                form.options.setdefault(name, []).append(value)
                if "checked" not in attrs:
                    return
            form.fields.append((name, value))
        elif tag == "textarea" and name:
            self.text_name, self.text = ("textarea", name), []
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "chosen": False}
            self.select_default = None
        elif tag == "option" and self.select is not None:
            self.text_name, self.text = ("option", attrs.get("value"), "selected" in attrs), []

    def handle_data(self, data):
        if self.text_name is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "textarea" and self.text_name and self.text_name[0] == "textarea":
            text = "".join(self.text)
            # As in a browser: the line break right after <textarea> is not part of the value.
            form.fields.append((self.text_name[1], text[1:] if text.startswith("\n") else text))
            self.text_name = None
        elif tag == "option" and self.text_name and self.text_name[0] == "option":
            _, value, selected = self.text_name
            value = "".join(self.text).strip() if value is None else value
            form.options.setdefault(self.select["name"], []).append(value)
            if self.select_default is None:
                self.select_default = value
            if selected and (self.select["multiple"] or not self.select["chosen"]):
                form.fields.append((self.select["name"], value))
                self.select["chosen"] = True
            self.text_name = None
        elif tag == "select" and self.select is not None:
            if not self.select["chosen"] and not self.select["multiple"] and self.select_default is not None:
                form.fields.append((self.select["name"], self.select_default))
            self.select = None


def read_forms(html):
    """The page's forms. Only the form elements are parsed: a page is large and the drill must stay cheap."""
    reader = FormReader()
    for block in FORM_BLOCK.findall(html):
        reader.feed(block)
    reader.close()
    return reader.forms


def post_form(html, path, action_contains=None):
    """The page's form that posts to ``path`` itself (or to an address containing ``action_contains``)."""
    for form in read_forms(html):
        if form.method != "post":
            continue
        if (action_contains and action_contains in form.action) or (not action_contains and form.action in ("", path)):
            return form
    raise Failed(f"no form on {path}")


def take_selfcheck(visitor, path=SELFCHECK_START, steps=None, answer=0, until=None):
    """Answer the self-check as a person would, from ``path``; return the address the site sends them to next.

    On each page: the warning-sign screen gets "I have none of these", a question its answer number ``answer``
    (the first by default; -1 for the last; a list gives each question in turn its own), the start and check
    pages are sent as they are. Stops at the
    result, or after ``steps`` pages when given, so the same person can carry on elsewhere (another instance)
    with ``take_selfcheck(visitor, path)``. With ``until``, stops on reaching the page at that address (its
    address is returned, nothing sent from it).
    """
    taken = 0
    answers = iter(answer) if isinstance(answer, (list, tuple)) else None
    while not path.startswith(RESULT_PREFIX):
        if (steps is not None and taken == steps) or (until is not None and path.startswith(until)):
            return path
        if taken > 50:
            raise Failed(f"the self-check never ended (last page {path})")
        form = post_form(visitor.get(path).text, path)
        changes = {}
        if "none" in form.options:
            changes["none"] = "on"
        if "answer" in form.options:
            changes["answer"] = form.options["answer"][next(answers) if answers else answer]
        path = visitor.post(form.action or path, form.with_values(**changes)).location
        taken += 1
    return path


def complete_selfcheck(visitor, before_submitting=None):
    """Take the whole self-check and open the result; return the result's token once it is accepted.

    ``before_submitting()``, when given, is called on the "check your answers" page, just before the answers
    are sent (a drill's barrier, so a crowd submits in lockstep).
    """
    if before_submitting is None:
        result = take_selfcheck(visitor)
    else:
        at_check = take_selfcheck(visitor, until=SELFCHECK_CHECK)
        before_submitting()
        result = take_selfcheck(visitor, at_check)
    visitor.tally.accept(visitor.kind)
    token = result[len(RESULT_PREFIX) :].strip("/")
    visitor.get(result)
    return token


def post_comment(visitor, page, body, fill_seconds=0):
    """Open ``page``, write ``body`` in its comment form and post it; True when the site took it for moderation."""
    form = post_form(visitor.get(page).text, page, action_contains="/comments/")
    if fill_seconds:
        time.sleep(fill_seconds + 1)  # the form's time stamp counts whole seconds
    answer = visitor.post(form.action, form.with_values(name="Load test", body=body), expect=(303,))
    if "comment=received" not in answer.location:
        raise Failed(f"comment on {page} not taken: sent to {answer.location}")
    visitor.tally.accept(visitor.kind)
    return True


def fetch(url, data=None, headers=None, timeout=10, tls=None):
    """One request with ``urllib`` (a POST when ``data`` is given); ``(status, headers, body bytes)``, errors too.

    ``tls``: for an ``https://`` address, an SSL context that trusts the server's certificate. Redirects are
    followed, as a browser would."""
    request = urllib.request.Request(check_target(url), data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=tls) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def request_bytes(method, target, headers=(), body=b""):
    """An HTTP/1.1 request as bytes: ``method`` and ``target`` as given (bytes or text), then ``headers`` as
    ``(name, value)`` pairs; a ``Content-Length`` for a body, or for a POST, PUT or PATCH without one."""
    method, target = (part.encode() if isinstance(part, str) else part for part in (method, target))
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [(name.encode() if isinstance(name, str) else name) + b": " +
              (value.encode() if isinstance(value, str) else value) for name, value in headers]  # fmt: skip
    if body or method in {b"POST", b"PUT", b"PATCH"}:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def raw_request(port, data, timeout=30, whole=True, tls=None):
    """Send ``data`` (which need not be a whole request) to 127.0.0.1:``port``; return what came back: until
    the server closed the connection, or only as far as the status line when ``whole`` is false. The server
    may answer early and close, as it may for a body it will not read: that is an answer, not an error.
    ``tls``: an SSL context trusting the server's certificate, to speak HTTPS."""
    answer = b""
    with contextlib.ExitStack() as stack:
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=timeout))
        if tls is not None:
            sock = stack.enter_context(tls.wrap_socket(sock, server_hostname="127.0.0.1"))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        with contextlib.suppress(ConnectionResetError, ssl.SSLEOFError):
            while chunk := sock.recv(65536):
                answer += chunk
                if not whole and b"\r\n" in answer:
                    break
    return answer


def status_of(answer):
    """The status code of a raw answer; None when the server closed the connection without one."""
    match = STATUS_LINE.match(answer)
    return int(match.group(1)) if match else None
