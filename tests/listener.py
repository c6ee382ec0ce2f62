"""A real HTTP listener on 127.0.0.1 that counts the requests reaching it (and answers
each with an empty SPARQL result, so an engine that calls it carries on)."""

from __future__ import annotations

import http.server
import threading

_EMPTY = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'


class Listener:
    """Start with :meth:`start`; ``hits`` lists the paths requested; :meth:`stop` at the end."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                owner.hits.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(_EMPTY)))
                self.end_headers()
                self.wfile.write(_EMPTY)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"

    def start(self) -> "Listener":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
