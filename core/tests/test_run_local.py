"""The local run's e-mail links use the address it is really served on."""

import socket

from core.management.commands.run_local import site_url_for


def test_the_site_url_follows_the_address_the_local_run_serves():
    assert site_url_for("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert site_url_for("9000") == "http://127.0.0.1:9000"
    assert site_url_for("localhost:8123") == "http://localhost:8123"
    assert site_url_for("0.0.0.0:8000") == f"http://{socket.gethostname()}:8000"
