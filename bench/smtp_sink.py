"""An SMTP server on loopback, in a process of its own, counting the messages it receives
by Message-ID (a second copy of one message is a duplicate).

The bench starts it with `start()`; the child (`python -m bench.smtp_sink PORT`) answers
"count" on its stdin with one JSON line {message_id: copies} and exits on "stop".
"""

import json
import socket
import subprocess
import sys
from dataclasses import dataclass

from bench import ROOT


def serve(port: int) -> None:
    import threading
    from email.parser import BytesHeaderParser

    from aiosmtpd.controller import Controller

    lock = threading.Lock()
    seen: dict[str, int] = {}

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            headers = BytesHeaderParser().parsebytes(envelope.content)
            key = str(headers.get("Message-ID", "")).strip()
            with lock:
                seen[key] = seen.get(key, 0) + 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    for line in sys.stdin:
        with lock:
            print(json.dumps(seen), flush=True)
        if line.strip() == "stop":
            break
    controller.stop()


@dataclass
class Sink:
    port: int
    process: subprocess.Popen

    def received(self) -> dict[str, int]:
        """Each Message-ID received, with how many times it came."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.communicate("stop\n", timeout=10)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(timeout=10)


def start() -> Sink:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.smtp_sink", str(port)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        process.terminate()
        raise RuntimeError("the loopback SMTP server did not start")
    return Sink(port=port, process=process)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
