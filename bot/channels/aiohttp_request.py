"""PTB's networking backend on aiohttp (`telegram.request.BaseRequest`, its extension point).

PTB's default backend, httpx, spends about a millisecond of CPU per request in this bot's
delivery benchmark; aiohttp's client, with its C HTTP parser and a simpler connection pool,
is about five times cheaper against the same server (bench/README-outbox.md). At Telegram's
30/s either is plenty; for paid broadcasts (1,000/s) the difference decides whether Chibo or
the platform is the bottleneck. `[telegram] http_client = "httpx"` goes back to PTB's default.
"""

from __future__ import annotations

import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """Requests to the Bot API over one aiohttp session with a bounded connection pool.

    Parameters go as a JSON body, or as PTB's default backend sends them (form fields holding
    JSON-encoded values in a multipart body) when files are uploaded.
    """

    __slots__ = ("_connections", "_proxy", "_session", "timeouts")

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        proxy: str | None = None,
    ) -> None:
        self._connections = connection_pool_size
        # Only the configured proxy ([telegram] proxy), never one from the environment.
        self._proxy = proxy or None
        # (read, write, connect, pool) in seconds, used when PTB passes none for a request.
        self.timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (PTB asks for it)."""
        return self.timeouts[0]

    async def initialize(self) -> None:
        """Open the session and its pool of connections, unless one is open."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            # trust_env=False: with it on, aiohttp looks up .netrc credentials in a worker
            # thread and scans the environment for proxies on every request, which halved the
            # outbox's throughput (bench/README-outbox.md). A proxy comes from the config only.
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                trust_env=False,
                proxy=self._proxy,
            )

    async def shutdown(self) -> None:
        """Close the session, if open."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one Bot API request; returns the HTTP status and the body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read, _write, connect, pool = (
            _given(value, default)
            for value, default in zip(
                (read_timeout, write_timeout, connect_timeout, pool_timeout),
                self.timeouts,
                strict=True,
            )
        )
        # aiohttp has no write timeout and no separate pool timeout: waiting for a free
        # connection counts towards `connect`; reads time out per read (as in httpx), and
        # nothing bounds the request as a whole, so a large upload on a slow line goes through.
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        body: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if request_data is not None:
            if files:
                # quote_fields=False: file names go as UTF-8, as httpx sends them (Telegram
                # shows members the name it received, e.g. a Vietnamese bulletin title).
                form = aiohttp.FormData(request_data.json_parameters, quote_fields=False)
                for name, (file_name, content, mime_type) in files.items():
                    form.add_field(name, content, filename=file_name, content_type=mime_type)
                body = form
            else:
                # A JSON body (the Bot API takes one for any request without files), with the
                # parameters' own types. Form encoding quoted every byte of Vietnamese text in
                # Python, about a tenth of an answer's CPU (bench/README-inbound.md).
                body = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
                headers = _JSON
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as res:
                return res.status, await res.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


_JSON = {"Content-Type": "application/json"}


def _given(value: object, default: float | None) -> float | None:
    """A timeout passed by PTB, or the default when it passed none (a `DefaultValue`)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default
