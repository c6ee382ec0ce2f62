"""HTTP for the remote store: httpx with connect, read and pool timeouts, a total deadline
per request and a cap on the size of an answer.

httpx's own timeouts bound each network operation (connecting, each read, waiting for a
pooled connection), but not a whole request: an endpoint that sends its headers and then
one byte a second never trips a read timeout. So every request here runs in a worker
thread that streams the body, checks the elapsed time and the size after each chunk, and
the caller waits for it no longer than the deadline (plus a short grace): whatever the
endpoint does, :func:`post` returns or raises by then.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass

import httpx

from ..errors import BadInput

__all__ = ["Endpoint", "Answer", "RemoteError", "RemoteTimeout", "RemoteTooLarge", "RequestRejected",
           "DEFAULT_MAX_BYTES", "max_bytes_from_env"]

#: The largest answer read from an endpoint, in bytes (``TECHREG_REMOTE_MAX_MB`` overrides).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
_USER_AGENT = "techreg (SPARQL 1.1 protocol client)"
_CHUNK = 64 * 1024
#: Seconds allowed for connecting, at most (the rest of the deadline still applies).
_CONNECT = 10.0
#: Seconds the caller waits past the deadline for the worker to report.
_GRACE = 2.0
#: The most bytes of response headers read (httpcore's default is 100 kB). Virtuoso echoes
#: every named-graph-uri of a request as an X-SPARQL-named-graph header: 2,500 graphs take
#: about 200 kB, which httpcore refused as "Receive buffer too long".
_MAX_HEADER_BYTES = 16 * 1024 * 1024


class RemoteError(BadInput):
    """The endpoint could not be reached, failed or sent an unusable answer (exit 2)."""


class RemoteTimeout(RemoteError):
    """The endpoint did not send its whole answer within the deadline."""


class RemoteTooLarge(RemoteError):
    """The endpoint's answer is larger than the size cap."""


class RequestRejected(RemoteError):
    """The endpoint answered HTTP 4xx/5xx; ``status`` and ``detail`` (its own words) are kept."""

    def __init__(self, message: str, status: int, detail: str):
        super().__init__(message)
        self.status = status
        self.detail = detail


def max_bytes_from_env() -> int:
    """The size cap: ``TECHREG_REMOTE_MAX_MB`` megabytes if set, else :data:`DEFAULT_MAX_BYTES`.

    Raises
    ------
    graph.errors.BadInput
        If the variable is not a positive number.
    """
    raw = os.environ.get("TECHREG_REMOTE_MAX_MB")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if not value > 0:
        raise BadInput(f"TECHREG_REMOTE_MAX_MB={raw!r}: give a positive number of megabytes")
    return int(value * 1024 * 1024)


@dataclass
class Answer:
    """An endpoint's answer: the body and its media type (without parameters)."""

    body: bytes
    media: str
    cut: str | None = None  # a techreg serve endpoint's X-Techreg-Truncated: the rows it kept
    max_rows: int | None = None  # Virtuoso's X-SPARQL-MaxRows: the answer reached its row limit
    entailments: str | None = None  # a techreg serve endpoint's X-Techreg-Entailments: where it keeps them


class Endpoint:
    """One HTTP client (a pool of connections) for the query and update URLs of a store.

    Parameters
    ----------
    max_bytes : int, optional
        The size cap for answers; by default :func:`max_bytes_from_env`.
    """

    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes or max_bytes_from_env()
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def client(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                from httpcore._sync.http11 import HTTP11Connection

                if HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE < _MAX_HEADER_BYTES:
                    HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE = _MAX_HEADER_BYTES
                self._client = httpx.Client(headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "gzip, deflate"}, follow_redirects=False,
                                            limits=httpx.Limits(max_connections=8, max_keepalive_connections=4))
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def post(self, url: str, form: dict, accept: str | None, timeout: float | None, what: str) -> Answer:
        """POST a form and return the whole answer, within ``timeout`` seconds in total.

        Parameters
        ----------
        url : str
        form : dict
            Field name to a string or a list of strings (repeated fields).
        accept : str, optional
            The ``Accept`` header.
        timeout : float, optional
            The total deadline in seconds (connecting, sending, waiting, reading); ``None``
            for no limit.
        what : str
            ``query`` or ``update`` (for messages).

        Raises
        ------
        RemoteTimeout, RemoteTooLarge, RequestRejected, RemoteError
        """
        box: dict = {}
        start = time.monotonic()
        deadline = None if timeout is None else start + timeout

        def work():
            try:
                box["answer"] = self._fetch(url, form, accept, timeout, deadline, what)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=work, name="techreg-http", daemon=True)
        worker.start()
        worker.join(None if timeout is None else timeout + _GRACE)
        if worker.is_alive():  # the worker is stuck in a read; it ends with its socket
            raise _timeout(url, what, timeout)
        if "error" in box:
            raise box["error"]
        return box["answer"]

    def _fetch(self, url, form, accept, timeout, deadline, what) -> Answer:
        headers = {"Accept": accept} if accept else {}
        limits = httpx.Timeout(timeout, connect=min(_CONNECT, timeout)) if timeout is not None else httpx.Timeout(None, connect=_CONNECT)
        try:
            with self.client().stream("POST", url, data=form, headers=headers, timeout=limits) as response:
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if response.status_code >= 400:
                    detail = _error_text(_read(response, 64 * 1024, deadline, url, what, timeout, cap_error=False))
                    raise RequestRejected(f"SPARQL endpoint {url} answered HTTP {response.status_code} "
                                          f"{response.reason_phrase}" + (f": {detail}" if detail else ""),
                                          response.status_code, detail)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise _too_large(url, what, self.max_bytes)
                max_rows = response.headers.get("X-SPARQL-MaxRows", "").strip()
                return Answer(_read(response, self.max_bytes, deadline, url, what, timeout), media,
                              response.headers.get("X-Techreg-Truncated"), int(max_rows) if max_rows.isdigit() else None,
                              response.headers.get("X-Techreg-Entailments"))
        except httpx.TimeoutException:
            raise _timeout(url, what, timeout) from None
        except httpx.InvalidURL as exc:
            raise RemoteError(f"cannot reach SPARQL endpoint {url}: {exc}") from None
        except httpx.HTTPError as exc:  # refused, reset, protocol errors
            reason = exc.__cause__ or exc
            reason = getattr(reason, "strerror", None) or str(reason) or type(exc).__name__
            raise RemoteError(f"cannot reach SPARQL endpoint {url}: {reason}") from None


def _read(response: httpx.Response, cap: int, deadline, url, what, timeout, cap_error: bool = True) -> bytes:
    """Read a streamed body, checking the deadline and the size after every chunk."""
    chunks = []
    size = 0
    for chunk in response.iter_raw(_CHUNK):
        size += len(chunk)
        if size > cap:
            if cap_error:
                raise _too_large(url, what, cap)
            chunks.append(chunk[: cap - (size - len(chunk))])
            break
        chunks.append(chunk)
        if deadline is not None and time.monotonic() > deadline:
            raise _timeout(url, what, timeout)
    data = b"".join(chunks)
    encoding = response.headers.get("content-encoding", "").lower()
    if encoding in ("gzip", "deflate", "br", "zstd"):
        return _decompress(data, encoding, cap, url, what)
    return data


def _decompress(data: bytes, encoding: str, cap: int, url, what) -> bytes:
    """Decompress a body, refusing to expand it past the cap (no zip bombs)."""
    import zlib

    if encoding not in ("gzip", "deflate"):
        raise RemoteError(f"SPARQL endpoint {url} sent its {what} answer with an unsupported encoding {encoding!r}")
    decoder = zlib.decompressobj(wbits=31 if encoding == "gzip" else 15)
    try:
        out = decoder.decompress(data, cap + 1)
    except zlib.error as exc:
        raise RemoteError(f"SPARQL endpoint {url} sent a corrupt compressed answer: {exc}") from None
    if len(out) > cap or decoder.unconsumed_tail:
        raise _too_large(url, what, cap)
    return out


def _timeout(url: str, what: str, timeout) -> RemoteTimeout:
    return RemoteTimeout(f"SPARQL endpoint {url} did not send its whole answer within {timeout:g} s "
                         f"(the {what} was stopped; raise --timeout or simplify the {what})")


def _too_large(url: str, what: str, cap: int) -> RemoteTooLarge:
    return RemoteTooLarge(f"SPARQL endpoint {url} sent an answer to the {what} larger than "
                          f"{cap / 1024 / 1024:g} MB (stopped reading; narrow the {what} with LIMIT "
                          "or raise TECHREG_REMOTE_MAX_MB)")


def _error_text(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    if "<html" in text[:200].lower():  # an HTML error page: keep the words only
        text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"\s+", " ", text).strip()
    return text[:1000]
