"""The webhook and health server: tornado, in the bot's own asyncio loop.

POST <path> takes an update from Telegram: the X-Telegram-Bot-Api-Secret-Token header must equal
the secret (else 403, nothing handled), the body must be a JSON object with an integer update_id
(else 400); then `accept(update)` runs and only when it has returned (Kapstok's inbox has committed
the update) does Telegram get its 200. If accept raises, 500: Telegram sends the update again
later. The server does not deduplicate: a repeated update is accepted again, and the inbox (which
knows which update_ids it has) ignores it. GET /healthz answers `await health()` as JSON, or 503.

This module is the shell: it knows no handlers and no storage; accept and health are injected.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # an update is a few kilobytes; this bounds what an unauthenticated POST costs
WARN_INTERVAL = 60.0  # seconds between two warnings of the same kind

Accept = Callable[[dict[str, Any]], Awaitable[None]]
Health = Callable[[], Awaitable[dict[str, Any]]]


class _Throttle:
    """Lets one event through per interval and counts the ones it held back."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._next = -math.inf
        self._held = 0

    def allow(self) -> int | None:
        """None while throttled; else the number of events held back since the last one."""
        now = self._clock()
        if now < self._next:
            self._held += 1
            return None
        self._next = now + self._interval
        held, self._held = self._held, 0
        return held


class _InFlight:
    """Counts the updates being accepted, so that stopping can wait for them."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Count one update for the duration of the block."""
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if not self._count:
                self._idle.set()

    async def wait(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False if the timeout came first."""
        try:
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True


class _State:
    """What the handlers of one server share."""

    def __init__(self, secret: str | None, accept: Accept, health: Health) -> None:
        self.secret = secret.encode() if secret is not None else None
        self.accept = accept
        self.health = health
        self.in_flight = _InFlight()
        self.stopping = False
        self.forbidden = _Throttle(WARN_INTERVAL)
        self.unhealthy = _Throttle(WARN_INTERVAL)


class _Handler(tornado.web.RequestHandler):
    """Plain-text error pages and no Server header."""

    def initialize(self, state: _State) -> None:
        """Receive the server's shared state."""
        self.state = state

    def set_default_headers(self) -> None:
        """Do not announce the server software."""
        self.clear_header("Server")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """One line of text: status and reason, never a traceback."""
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"{status_code} {self._reason}\n")


class _UpdateHandler(_Handler):
    """POST only: Telegram delivering one update."""

    async def post(self) -> None:
        """Check the secret, parse the update, let accept commit it, then answer 200."""
        self._check_secret()
        update = _parse_update(self.request.body)
        if self.state.stopping:
            raise tornado.web.HTTPError(503)
        with self.state.in_flight.track():
            try:
                await self.state.accept(update)
            except Exception:
                logger.exception(
                    "Could not accept update %s; Telegram will retry", update["update_id"]
                )
                raise tornado.web.HTTPError(500) from None
            with contextlib.suppress(tornado.iostream.StreamClosedError):
                await self.finish()

    def _check_secret(self) -> None:
        """403 unless the secret header is present and equal to the secret."""
        token = self.request.headers.get(SECRET_HEADER)
        secret = self.state.secret
        if token is None or secret is None or not hmac.compare_digest(token.encode(), secret):
            held = self.state.forbidden.allow()
            if held is not None:
                logger.warning(
                    "Refused a webhook request without the right secret token from %s"
                    " (%d more refused since the previous warning)",
                    self.request.remote_ip,
                    held,
                )
            raise tornado.web.HTTPError(403)


class _HealthHandler(_Handler):
    """GET only: the health report as JSON."""

    async def get(self) -> None:
        """200 with health() as JSON; 503 with {"status": "error"} if it fails."""
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        try:
            body = json.dumps(await self.state.health())
        except Exception:
            if self.state.unhealthy.allow() is not None:
                logger.exception("The health check failed")
            self.set_status(503)
            body = json.dumps({"status": "error"})
        self.write(body)


class _NotFoundHandler(_Handler):
    """Every other path."""

    def prepare(self) -> None:
        """404, whatever the method."""
        raise tornado.web.HTTPError(404)


def _reject_constant(name: str) -> None:
    """NaN and Infinity are not JSON."""
    raise ValueError(f"not JSON: {name}")


def _parse_update(body: bytes) -> dict[str, Any]:
    """The body as a JSON object with an integer update_id, else 400."""
    try:
        update = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise tornado.web.HTTPError(400) from None
    if not isinstance(update, dict) or type(update.get("update_id")) is not int:
        raise tornado.web.HTTPError(400)
    return update


def _path_pattern(path: str) -> str:
    """A tornado route for path, with or without a trailing slash."""
    return re.escape("/" + path.strip("/")).removesuffix("/") + "/?"


def _no_access_log(handler: tornado.web.RequestHandler) -> None:
    """Tornado logs every request; Kapstok does not."""


class WebhookServer:
    """Telegram's webhook on `path` and GET /healthz, served in the running asyncio loop.

    With secret None only /healthz is served (for polling mode): updates are never taken
    without a secret.
    """

    def __init__(
        self,
        *,
        path: str,
        secret: str | None,
        accept: Accept,
        health: Health,
    ) -> None:
        if secret is not None and not secret:
            raise ValueError("the webhook secret must not be empty")
        if path.rstrip("/") == HEALTH_PATH:
            raise ValueError(f"the webhook path cannot be {HEALTH_PATH}")
        self._state = _State(secret, accept, health)
        routes: list[Any] = [(HEALTH_PATH, _HealthHandler, {"state": self._state})]
        if secret is not None:
            routes.append((_path_pattern(path), _UpdateHandler, {"state": self._state}))
        self._app = tornado.web.Application(
            routes,
            default_handler_class=_NotFoundHandler,
            default_handler_args={"state": self._state},
            log_function=_no_access_log,
        )
        self._server: tornado.httpserver.HTTPServer | None = None

    async def start(self, listen: str, port: int) -> int:
        """Listen on listen:port (0: any free port); return the port bound."""
        if self._server is not None:
            raise RuntimeError("the webhook server is already running")
        sockets = tornado.netutil.bind_sockets(port, listen)
        self._state.stopping = False
        self._server = tornado.httpserver.HTTPServer(
            self._app, xheaders=True, max_body_size=MAX_BODY
        )
        self._server.add_sockets(sockets)
        return sockets[0].getsockname()[1]

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop listening, let updates being accepted finish (up to grace s), close connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self._state.stopping = True
        server.stop()
        if not await self._state.in_flight.wait(grace):
            logger.warning("Stopped the webhook server with updates still being accepted")
        await server.close_all_connections()
