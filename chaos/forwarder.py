"""A TCP forwarder that can cut the line: close every connection, or go silent (half-open).

`cut("close")` closes both sides of every connection and refuses new ones at once, as a
server restart or a firewall reset does. `cut("silent")` stops moving bytes both ways and
leaves every socket open, as a network partition does: each side waits on a peer that
no longer answers; new connections are accepted and never answered. `restore()` ends the
fault; connections that went silent are then reset (their TCP state is gone, as after a
partition long enough for keepalives to give up), and new ones are forwarded again.
"""

import select
import socket
import struct
import threading
import time


class Forwarder:
    def __init__(self, listen_port: int, target: tuple[str, int]):
        self.target = target
        self.state = "open"
        self.lock = threading.Lock()
        self.pairs: list[tuple[socket.socket, socket.socket | None]] = []
        self.server = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _address = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.state == "closed":
                _reset(client)
                continue
            if self.state == "silent":
                with self.lock:
                    self.pairs.append((client, None))  # held open, never answered
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            pair = (client, upstream)
            with self.lock:
                self.pairs.append(pair)
            threading.Thread(target=self._pump, args=(pair,), daemon=True).start()

    def _pump(self, pair) -> None:
        client, upstream = pair
        peers = {client: upstream, upstream: client}
        try:
            while self.running:
                if self.state == "silent":
                    time.sleep(0.05)
                    continue
                readable, _, _ = select.select([client, upstream], [], [], 0.1)
                for source in readable:
                    if self.state == "silent":
                        break
                    data = source.recv(65536)
                    if not data:
                        raise ConnectionError
                    peers[source].sendall(data)
        except (OSError, ValueError, ConnectionError):
            pass
        finally:
            self._drop(pair)

    def _drop(self, pair) -> None:
        with self.lock:
            if pair in self.pairs:
                self.pairs.remove(pair)
        for sock in pair:
            if sock is not None:
                _reset(sock)

    def cut(self, mode: str) -> None:
        assert mode in ("close", "silent")
        self.state = "closed" if mode == "close" else "silent"
        if mode == "close":
            with self.lock:
                pairs = list(self.pairs)
            for pair in pairs:
                self._drop(pair)

    def restore(self) -> None:
        was = self.state
        self.state = "open"
        if was == "silent":
            with self.lock:
                pairs = list(self.pairs)
            for pair in pairs:
                self._drop(pair)

    def close(self) -> None:
        self.running = False
        self.server.close()
        with self.lock:
            pairs = list(self.pairs)
        for pair in pairs:
            self._drop(pair)


def _reset(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), not a polite FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass
