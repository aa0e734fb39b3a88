"""A loopback TCP proxy that loses answers on purpose, for network-fault tests."""

# Everything a client sends is passed to the target. What happens to an answer is decided
# when its first bytes come back from the target, that is after the request reached the
# server and was handled:
#
# - `drop_answers(n)`: the next n answers are thrown away and the client's connection is
#   closed, as when Wi-Fi drops at the worst moment;
# - `hold_answers()`: answers are kept back and the connection left hanging, until the
#   client gives up or is killed; `answer_held` is set when that first happens;
# - `refuse()`: open connections are cut and new ones closed at once, as when Stripe
#   cannot be reached.

from __future__ import annotations

import contextlib
import socket
import threading


class _Conn:
    def __init__(self) -> None:
        self.asked = False
        self.client_gone = threading.Event()


class FaultProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self._lock = threading.Lock()
        self._drops = 0
        self._hold = False
        self._refuse = False
        self.answer_held = threading.Event()
        self.answers_dropped = 0
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # ---- what to do next -------------------------------------------------------------

    def drop_answers(self, n: int = 1) -> None:
        with self._lock:
            self._drops = n

    def hold_answers(self) -> None:
        with self._lock:
            self._hold = True

    def refuse(self) -> None:
        """From now on nothing gets through, kept-alive connections included."""
        with self._lock:
            self._refuse = True
        for s in list(self._sockets):
            self._shut(s)

    def heal(self) -> None:
        with self._lock:
            self._drops, self._hold, self._refuse = 0, False, False

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._listener.close()
        for s in list(self._sockets):
            with contextlib.suppress(OSError):
                s.close()

    # ---- plumbing -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                refuse = self._refuse
            if refuse:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._sockets.update((client, upstream))
            state = _Conn()
            threading.Thread(
                target=self._client_to_server, args=(client, upstream, state), daemon=True
            ).start()
            threading.Thread(
                target=self._server_to_client, args=(client, upstream, state), daemon=True
            ).start()

    def _shut(self, *socks: socket.socket) -> None:
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()
            self._sockets.discard(s)

    def _client_to_server(
        self, client: socket.socket, upstream: socket.socket, state: _Conn
    ) -> None:
        try:
            while chunk := client.recv(65536):
                state.asked = True
                upstream.sendall(chunk)
        except OSError:
            pass
        state.client_gone.set()
        self._shut(client, upstream)

    def _server_to_client(
        self, client: socket.socket, upstream: socket.socket, state: _Conn
    ) -> None:
        try:
            while chunk := upstream.recv(65536):
                if state.asked:
                    # First bytes of a new answer: decide its fate once.
                    state.asked = False
                    with self._lock:
                        drop = self._drops > 0
                        if drop:
                            self._drops -= 1
                            self.answers_dropped += 1
                        hold = self._hold and not drop
                    if drop:
                        break
                    if hold:
                        self.answer_held.set()
                        # Keep the client waiting; it ends when the client goes away.
                        state.client_gone.wait()
                        break
                client.sendall(chunk)
        except OSError:
            pass
        self._shut(client, upstream)
