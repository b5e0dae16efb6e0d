"""A small stand-in for Moodle's web services on loopback: answers as Moodle does, or fails on demand."""

import json
import threading
import time
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TOKEN = "test-token"


def completion_status(*, completed: bool, done: int = 1, total: int = 2, at: int = 1788000000) -> dict:
    """Moodle's answer to core_completion_get_course_completion_status."""
    criteria = [
        {
            "type": 4,
            "title": "Activity completion",
            "status": "Yes" if n < done else "No",
            "complete": n < done,
            "timecompleted": at if n < done else None,
            "details": {"type": "Activity completion", "criteria": "Quiz", "requirement": "Complete", "status": ""},
        }
        for n in range(total)
    ]
    return {"completionstatus": {"completed": completed, "aggregation": 1, "completions": criteria}, "warnings": []}


class MoodleStandIn:
    def __init__(self) -> None:
        self.answers: dict[str, dict] = {}  # userid → answer
        self.mode = "ok"  # ok | exception | garbage | slow | html
        self.requests: list[dict] = []

    def answer(self, params: dict) -> tuple[int, bytes]:
        self.requests.append(params)
        if params.get("wstoken") != TOKEN:
            body = {"exception": "moodle_exception", "errorcode": "invalidtoken", "message": "Invalid token"}
            return 200, json.dumps(body).encode()
        if self.mode == "exception":
            body = {"exception": "moodle_exception", "errorcode": "nocriteriaset", "message": "No criteria set"}
            return 200, json.dumps(body).encode()
        if self.mode == "garbage":
            return 200, b'{"completionstatus": '
        if self.mode == "html":
            return 503, b"<html>Service Unavailable</html>"
        if self.mode == "slow":
            time.sleep(2)
        return 200, json.dumps(
            self.answers.get(params.get("userid", ""), completion_status(completed=False, done=0))
        ).encode()


@contextmanager
def moodle_on_loopback():
    """Yield (base URL, stand-in); the server runs on 127.0.0.1 on a free port and stops afterwards."""
    stand_in = MoodleStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            if url.path != "/webservice/rest/server.php":
                self.send_error(404)
                return
            status, body = stand_in.answer({key: values[0] for key, values in parse_qs(url.query).items()})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):  # a client that timed out and left
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", stand_in
    finally:
        server.shutdown()
        server.server_close()
