"""An SMTP server on loopback that records the Message-ID and arrival time of every message."""

import asyncio
import threading
import time
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, delay: float = 0.002):
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[tuple[str, float]] = []

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            self.received.append((str(headers.get("Message-ID", "")).strip(), time.time()))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def snapshot(self) -> list[tuple[str, float]]:
        with self.lock:
            return list(self.received)


def start(port: int) -> tuple[Controller, Recorder]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, recorder
