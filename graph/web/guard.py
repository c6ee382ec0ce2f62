"""What stands between the network and the pages: security headers, a per-client rate
limit, and limits on request bodies (size and how slowly they may arrive).

All three are plain ASGI middleware, so they also cover errors and static files.
"""

from __future__ import annotations

import asyncio
import math
import time

__all__ = ["DEFAULT_CSP", "SecurityHeaders", "RateLimit", "BodyLimit"]

#: The policy of every page unless a route sends its own: scripts and styles from this
#: server only, no inline script, nothing fetched from or sent to another host.
DEFAULT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
               "base-uri 'none'; object-src 'none'; frame-ancestors 'none'")

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


async def _plain(send, status: int, text: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Add the security headers to every response; a route's own CSP or frame policy wins.

    Parameters
    ----------
    app : ASGI application
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in _HEADERS if n not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
                if b"x-frame-options" not in names:
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimit:
    """A token bucket per client address: ``rate`` requests a second, bursts up to ``burst``.

    Over the limit, the answer is 429 with ``Retry-After`` (whole seconds until a request
    is allowed again). Static files are not counted. ``rate`` 0 turns the limit off.

    Parameters
    ----------
    app : ASGI application
    rate : float
        Requests per second each client may make on average.
    burst : int
        Requests a client may make at once.
    """

    def __init__(self, app, rate: float, burst: int):
        self.app = app
        self.rate = rate
        self.burst = max(1, burst)
        self.buckets: dict[str, tuple[float, float]] = {}

    def _take(self, client: str) -> float:
        """Take a token; return 0 if allowed, else the seconds to wait."""
        now = time.monotonic()
        tokens, last = self.buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self.buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate
        self.buckets[client] = (tokens - 1.0, now)
        if len(self.buckets) > 10_000:  # forget clients whose buckets are full again
            full = [c for c, (t, ts) in self.buckets.items() if t + (now - ts) * self.rate >= self.burst]
            for c in full:
                del self.buckets[c]
        return 0.0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.rate <= 0 or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self._take(client)
        if wait:
            seconds = max(1, math.ceil(wait))
            return await _plain(send, 429, f"too many requests: at most {self.rate:g} a second "
                                           f"(bursts of {self.burst}); retry in {seconds} s\n",
                                [(b"retry-after", str(seconds).encode())])
        await self.app(scope, receive, send)


class BodyLimit:
    """Read request bodies up front: at most ``max_bytes``, each part within ``timeout`` seconds.

    A body that is too big is answered with 413, one that trickles in too slowly with
    408, before the application sees the request.

    Parameters
    ----------
    app : ASGI application
    max_bytes : int
    timeout : float
    """

    def __init__(self, app, max_bytes: int, timeout: float):
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_big = f"request body over {self.max_bytes:,} bytes\n"
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await _plain(send, 413, too_big, [(b"connection", b"close")])
        chunks, total = [], 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except asyncio.TimeoutError:
                return await _plain(send, 408, f"request body not received within {self.timeout:g} s\n",
                                    [(b"connection", b"close")])
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                return await _plain(send, 413, too_big, [(b"connection", b"close")])
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
