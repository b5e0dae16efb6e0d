"""Stand-ins for the SMTP server in tests: the one thing outside the machine.

`FileOutboxBackend` is a mail server a worker in another process can talk to: each
accepted message is appended to a file as one JSON line, after a configurable pause
that plays the SMTP conversation; it can also stall, so that a test kills a worker in
the middle of a batch for certain, not by luck of timing.
`RefusingBackend` refuses some (or all) recipients, to exercise retries; `DyingBackend`
plays a worker killed in the middle of a batch, inside the test process.
"""

import json
import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileOutboxBackend(BaseEmailBackend):
    """Accept every message into a file; optionally stall for good after `stall_after` messages.

    A stalled server leaves a `<path>.stalled` file and never answers: the worker is
    then, for certain, in the middle of a batch and of one message's conversation.
    """

    def __init__(self, *, path, delay=0.0, stall_after=None, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(path)
        self.delay = float(delay)
        self.stall_after = int(stall_after) if stall_after not in (None, "") else None

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message()  # build it, as a real server would receive it
            if self.stall_after is not None and len(read_outbox(self.path)) >= self.stall_after:
                Path(f"{self.path}.stalled").write_text(message.extra_headers["Message-ID"])
                time.sleep(3600)
            if self.delay:
                time.sleep(self.delay)
            line = json.dumps({"message_id": message.extra_headers["Message-ID"], "to": message.to}) + "\n"
            # One write with O_APPEND: lines from several workers never interleave.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        return len(email_messages)


def read_outbox(path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class RefusingBackend(BaseEmailBackend):
    """Refuse messages to the addresses in `refuse` (every message when it is "*"); keep the rest."""

    sent: list = []  # a class-level outbox: each test resets it

    def __init__(self, *, refuse=(), fail_open=False, **kwargs):
        super().__init__(**kwargs)
        self.refuse = refuse
        self.fail_open = fail_open

    def open(self):
        if self.fail_open:
            raise ConnectionRefusedError("the test's SMTP server is down")
        return True

    def send_messages(self, email_messages):
        for message in email_messages:
            if self.refuse == "*" or set(message.to) & set(self.refuse):
                raise OSError(f"550 mailbox unavailable: {message.to}")
            RefusingBackend.sent.append(message)
        return len(email_messages)


class WorkerDeath(BaseException):
    """The worker process dying mid-batch: a BaseException, so no `except Exception` stops it."""


class DyingBackend(BaseEmailBackend):
    """Accept `accept` messages into django.core.mail.outbox, then die in the middle of the next."""

    def __init__(self, *, accept=0, **kwargs):
        super().__init__(**kwargs)
        self.accept = int(accept)

    def send_messages(self, email_messages):
        from django.core import mail

        for message in email_messages:
            if len(mail.outbox) >= self.accept:
                raise WorkerDeath("killed while talking to the SMTP server")
            message.message()
            mail.outbox.append(message)
        return len(email_messages)
