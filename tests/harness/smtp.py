"""A mail server for tests, on a free loopback port, in threads of the test's own process.

``SMTPServer(mode)`` behaves as ``mode`` says, and the mode may change while it runs (it applies to each new
connection):

- ``"hang"``: accepts the connection and never says a word, as a stuck mail server does;
- ``"accept"``: speaks enough SMTP (RFC 5321) for Django's SMTP backend and keeps every message it is given;
- ``"reject"``: greets, then refuses every recipient with ``550``, as a server does for a bad address.

No TLS and no authentication: point the site at it with ``EMAIL_HOST=127.0.0.1``, ``EMAIL_PORT=server.port``,
``EMAIL_USE_TLS=0``.
"""

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass

from tests.harness.services import free_port


@dataclass
class Received:
    """One message as the server took it: the envelope and the parsed message."""

    sender: str
    recipients: list
    message: email.message.EmailMessage


class SMTPServer:
    def __init__(self, mode="accept"):
        self.mode = mode
        self.port = free_port()
        self.received = []
        self.connections = 0
        self._listener = None
        self._open = []
        self._lock = threading.Lock()

    def start(self):
        self._listener = socket.create_server(("127.0.0.1", self.port), backlog=64)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self):
        self._listener.close()
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            sock.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def env(self):
        """The site's settings for sending through this server."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}

    def wait_for(self, count, timeout=60):
        """Wait until ``count`` messages have arrived (polling); return them all, or raise after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} of {count} messages arrived within {timeout} s")
            time.sleep(0.1)
        return list(self.received)

    def _accept(self):
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:  # closed by stop()
                return
            with self._lock:
                self.connections += 1
                self._open.append(sock)
            if self.mode != "hang":
                threading.Thread(target=self._converse, args=(sock, self.mode), daemon=True).start()

    def _converse(self, sock, mode):
        try:
            with sock, sock.makefile("rb") as lines:
                self._session(sock, lines, mode)
        except OSError:
            pass

    def _session(self, sock, lines, mode):
        def say(text):
            sock.sendall(text.encode() + b"\r\n")

        say("220 127.0.0.1 test mail server ready")
        sender, recipients = "", []
        for raw in lines:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                say("250-127.0.0.1 hello")
                say("250 8BITMIME")
            elif verb == "HELO":
                say("250 127.0.0.1 hello")
            elif verb == "MAIL":
                sender, recipients = line.partition(":")[2].strip().strip("<>"), []
                say("250 OK")
            elif verb == "RCPT":
                if mode == "reject":
                    say("550 5.1.1 No such mailbox here")
                else:
                    recipients.append(line.partition(":")[2].strip().strip("<>"))
                    say("250 OK")
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                body = self._read_data(lines)
                parsed = email.message_from_bytes(body, policy=email.policy.default)
                self.received.append(Received(sender, recipients, parsed))
                say("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                say("250 OK")
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:
                say("502 Command not implemented")

    @staticmethod
    def _read_data(lines):
        data = []
        for raw in lines:
            if raw in (b".\r\n", b".\n"):
                break
            data.append(raw[1:] if raw.startswith(b"..") else raw)  # undo dot-stuffing
        return b"".join(data)
