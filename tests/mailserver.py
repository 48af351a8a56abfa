"""A real SMTP server (aiosmtpd) and a push gateway (http.server) on free loopback ports, for tests."""

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.serving.live import free_port


class MailRecorder:
    """An aiosmtpd handler that keeps every message; it can refuse recipients or stall on DATA."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.rcpt_answer: str | None = None  # e.g. "451 4.3.0 try again later"
        self.data_answer = "250 Message accepted for delivery"
        self.stall_seconds = 0.0  # keep the client waiting after DATA arrived
        self.received = threading.Event()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_answer:
            return self.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        self.received.set()
        if self.stall_seconds:
            await asyncio.sleep(self.stall_seconds)
        return self.data_answer

    def ids(self) -> list[str]:
        """The Message-IDs received, in order."""
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


@contextmanager
def smtp_server() -> Iterator[tuple[MailRecorder, int]]:
    """Run an SMTP server on a free loopback port; yield (recorder, port)."""
    recorder = MailRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=30)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


class PushRecorder:
    """What the fake push gateway received, and the status it answers with."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, dict]] = []  # (headers, JSON body)
        self.status = 202


@contextmanager
def push_gateway() -> Iterator[tuple[PushRecorder, str]]:
    """Run an HTTP push gateway on a free loopback port; yield (recorder, URL)."""
    recorder = PushRecorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            recorder.requests.append((dict(self.headers), body))
            self.send_response(recorder.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": f"gw-{len(recorder.requests)}"}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder, f"http://127.0.0.1:{server.server_port}/push"
    finally:
        server.shutdown()
        server.server_close()
