"""Slow clients, for tests and ``bench/`` that show what they do to readers: on 127.0.0.1 only.

- ``SlowClients``: a bounded attack of ``count`` sockets that each send a request as slowly as a server will
  wait for it, either its headers (slowloris) or its body (a slow POST). A socket the server closes is
  opened again, so the pressure stays the same until ``stop``. Each socket sends from an address of its own
  on the loopback network (127.0.N.x), as a crowd of attackers would, so a per-address limit in a proxy is
  not what lets readers through.
- ``read_pages``: a reader opening a list of pages one after the other, each with a time limit.
"""

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field

from tests.harness.clients import Failed, Tally, Visitor

HEADERS, BODY = "headers", "body"
BODY_LENGTH = 100_000  # declared, never sent in full: within the site's 512 KB, so only patience refuses it


def attack_address(network, number):
    """The ``number``-th attacker's address on loopback network ``127.network.0.0/16`` (never 127.0.0.1)."""
    return f"127.{network}.{number // 250}.{number % 250 + 2}"


@dataclass
class SlowClients:
    """``count`` sockets to 127.0.0.1:``port`` sending their requests slowly, from 127.``network``.x.y.

    ``kind`` is ``HEADERS`` (a GET whose header lines never end: one more each ``interval`` seconds) or
    ``BODY`` (a POST to the contact form declaring ``BODY_LENGTH`` bytes and sending one each interval).
    ``tls``: an SSL context, for a server that speaks HTTPS.
    """

    port: int
    count: int
    kind: str = HEADERS
    network: int = 1
    interval: float = 1.0
    tls: object = None
    opened: int = 0  # connections made, the first ones and the reopened
    closed_by_server: int = 0
    sockets: dict = field(default_factory=dict)

    def __post_init__(self):
        self.stopping = threading.Event()
        self.thread = None

    def request_start(self):
        if self.kind == HEADERS:
            return b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-headers\r\n"
        return (
            b"POST /contact/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-body\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(BODY_LENGTH).encode() + b"\r\n\r\nname="
        )

    def connect(self, number):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10, source_address=(self.address(number), 0))
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_hostname="127.0.0.1")
        sock.sendall(self.request_start())
        sock.settimeout(0.01)
        self.opened += 1
        return sock

    def address(self, number):
        return attack_address(self.network, number)

    def trickle(self, sock):
        """One more piece of the request; False when the server has closed the connection."""
        try:
            # recv returns only once the server has answered (a 408, a 400) or closed: either way it is done.
            sock.recv(4096)
            return False
        except (TimeoutError, BlockingIOError):
            pass  # nothing yet: the server is still waiting for the rest
        except OSError:
            return False
        try:
            sock.sendall(b"X-Slow: 1\r\n" if self.kind == HEADERS else b"a")
        except OSError:
            return False
        return True

    def run(self):
        while not self.stopping.wait(self.interval):
            for number in list(self.sockets):
                if self.stopping.is_set():
                    return
                if self.trickle(self.sockets[number]):
                    continue
                self.closed_by_server += 1
                self.sockets.pop(number).close()
                with contextlib.suppress(OSError):
                    self.sockets[number] = self.connect(number)

    def start(self):
        for number in range(self.count):
            self.sockets[number] = self.connect(number)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        for sock in self.sockets.values():
            sock.close()
        self.sockets.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


@dataclass
class Reading:
    """What one reader got: each page's status (None: no answer in time) and seconds."""

    statuses: list
    seconds: list

    @property
    def served(self):
        return sum(status == 200 for status in self.statuses)


def read_pages(base, pages, timeout=10, tls=None):
    """Open ``pages`` one after another at ``base`` as one reader; a page not answered within ``timeout``
    seconds counts as not served, and the reader moves on to the next."""
    reader = Visitor(base, Tally(), "reader", timeout=timeout, tls=tls)
    statuses, seconds = [], []
    for page in pages:
        started = time.monotonic()
        try:
            statuses.append(reader.get(page, expect=range(100, 600)).status)
        except Failed:
            statuses.append(None)
        seconds.append(time.monotonic() - started)
    return Reading(statuses, seconds)
