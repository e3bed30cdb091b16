"""The webhook and health server, over real HTTP on a free port of 127.0.0.1.

The server does not deduplicate: an update Telegram sends twice is accepted twice, and the inbox
behind `accept` (which knows the update_ids it has committed) ignores the repeat.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from bot.webhook import SECRET_HEADER, WebhookServer, _Throttle

SECRET = "Kz3_-q9wX0rTyUvB1cD2eF3gH4iJ5kL6mN7oP8qR9sA"
PATH = "/telegram"
UPDATE = {"update_id": 41, "message": {"message_id": 1, "text": "hallo"}}
RIGHT = {SECRET_HEADER: SECRET}


class Inbox:
    """A fake `accept`: records updates; can fail or hold on until released."""

    def __init__(self) -> None:
        self.updates: list[dict] = []
        self.fail = False
        self.release: asyncio.Event | None = None
        self.entered = asyncio.Event()

    async def accept(self, update: dict) -> None:
        """Record the update (after the release, if one is set)."""
        self.entered.set()
        if self.release is not None:
            await self.release.wait()
        if self.fail:
            raise RuntimeError("database is locked")
        self.updates.append(update)


class Health:
    """A fake `health`: a fixed report, or a failure."""

    def __init__(self) -> None:
        self.fail = False
        self.report = {"status": "ok", "mode": "webhook", "inbox": {"unhandled": 0}}

    async def __call__(self) -> dict:
        """The report, unless failing."""
        if self.fail:
            raise RuntimeError("database is gone")
        return self.report


@pytest.fixture
def inbox():
    return Inbox()


@pytest.fixture
def health():
    return Health()


@pytest.fixture
async def server(inbox, health):
    server = WebhookServer(path=PATH, secret=SECRET, accept=inbox.accept, health=health)
    server.port = await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


@pytest.fixture
async def client(server):
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        yield client


async def test_no_secret_header_is_forbidden_and_nothing_is_accepted(client, inbox):
    response = await client.post(PATH, json=UPDATE)
    assert response.status_code == 403
    assert inbox.updates == []


@pytest.mark.parametrize(
    "token", ["wrong", "", SECRET[:-1], SECRET + "x", SECRET.lower(), "é".encode("latin-1")]
)
async def test_a_wrong_secret_is_forbidden(client, inbox, token):
    response = await client.post(PATH, json=UPDATE, headers={SECRET_HEADER: token})
    assert response.status_code == 403
    assert inbox.updates == []


async def test_the_right_secret_accepts_the_update(client, inbox):
    response = await client.post(PATH, json=UPDATE, headers=RIGHT)
    assert response.status_code == 200
    assert inbox.updates == [UPDATE]


async def test_the_path_may_end_in_a_slash(client, inbox):
    response = await client.post(PATH + "/", json=UPDATE, headers=RIGHT)
    assert response.status_code == 200
    assert inbox.updates == [UPDATE]


async def test_the_same_update_twice_is_accepted_twice_the_inbox_deduplicates(client, inbox):
    for _ in range(2):
        assert (await client.post(PATH, json=UPDATE, headers=RIGHT)).status_code == 200
    assert inbox.updates == [UPDATE, UPDATE]


async def test_200_only_after_accept_has_returned(client, inbox):
    inbox.release = asyncio.Event()
    request = asyncio.create_task(client.post(PATH, json=UPDATE, headers=RIGHT))
    await asyncio.wait_for(inbox.entered.wait(), 5)
    await asyncio.sleep(0.05)
    assert not request.done()
    inbox.release.set()
    assert (await request).status_code == 200
    assert inbox.updates == [UPDATE]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"{",
        b"[41]",
        b'"update_id"',
        b"{}",
        b'{"update_id": "41"}',
        b'{"update_id": 41.0}',
        b'{"update_id": true}',
        b'{"update_id": null}',
        b'{"update_id": NaN}',
        b'{"update_id": 41, "x": Infinity}',
        b"\xff\xfe{",
        b"[" * 100_000,
    ],
)
async def test_a_body_that_is_not_an_update_is_a_bad_request(client, inbox, body):
    headers = {**RIGHT, "Content-Type": "application/json"}
    response = await client.post(PATH, content=body, headers=headers)
    assert response.status_code == 400
    assert inbox.updates == []


async def test_the_secret_is_checked_before_the_body(client):
    response = await client.post(PATH, content=b"not json")
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"])
async def test_other_methods_on_the_path_are_not_allowed(client, inbox, method):
    response = await client.request(method, PATH, headers=RIGHT)
    assert response.status_code == 405
    assert inbox.updates == []


async def test_accept_failing_is_a_server_error_so_telegram_retries(client, inbox, caplog):
    inbox.fail = True
    response = await client.post(PATH, json=UPDATE, headers=RIGHT)
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert any(
        record.name == "bot.webhook" and record.exc_info and "41" in record.getMessage()
        for record in caplog.records
    )


async def test_healthz_answers_the_health_report_as_json(client, health):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == health.report


async def test_healthz_is_503_when_health_fails(client, health):
    health.fail = True
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "error"}


async def test_healthz_takes_only_get(client):
    response = await client.post("/healthz", json=UPDATE, headers=RIGHT)
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("POST", "/"),
        ("POST", "/telegramx"),
        ("POST", "/x/telegram"),
        ("GET", "/healthz/"),
    ],
)
async def test_anything_else_is_not_found(client, inbox, method, path):
    response = await client.request(method, path, json=UPDATE, headers=RIGHT)
    assert response.status_code == 404
    assert inbox.updates == []


async def test_no_access_log_and_one_warning_a_minute_for_refusals(client, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        await client.post(PATH, json=UPDATE, headers={SECRET_HEADER: "guess"})
    await client.get("/healthz")
    assert not [record for record in caplog.records if record.name == "tornado.access"]
    warnings = [record for record in caplog.records if record.name == "bot.webhook"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "127.0.0.1" in warnings[0].getMessage()
    assert "guess" not in warnings[0].getMessage()


async def test_the_remote_ip_comes_from_the_reverse_proxy(client, caplog):
    await client.post(PATH, json=UPDATE, headers={"X-Real-IP": "203.0.113.9"})
    assert "203.0.113.9" in caplog.records[-1].getMessage()


def test_the_throttle_lets_one_through_a_minute_and_counts_the_rest():
    now = [0.0]
    throttle = _Throttle(60.0, clock=lambda: now[0])
    assert throttle.allow() == 0
    now[0] = 30.0
    assert throttle.allow() is None
    assert throttle.allow() is None
    now[0] = 60.0
    assert throttle.allow() == 2
    assert throttle.allow() is None


async def test_a_root_path_serves_updates_and_health():
    inbox = Inbox()
    server = WebhookServer(path="/", secret=SECRET, accept=inbox.accept, health=Health())
    port = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.post("/", json=UPDATE, headers=RIGHT)).status_code == 200
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await server.stop()
    assert inbox.updates == [UPDATE]


async def test_without_a_secret_only_health_is_served():
    inbox = Inbox()
    server = WebhookServer(path=PATH, secret=None, accept=inbox.accept, health=Health())
    port = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.post(PATH, json=UPDATE)).status_code == 404
            assert (await client.post(PATH, json=UPDATE, headers=RIGHT)).status_code == 404
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await server.stop()
    assert inbox.updates == []


@pytest.mark.parametrize(
    ("path", "secret"), [(PATH, ""), ("/healthz", SECRET), ("/healthz/", SECRET)]
)
def test_an_empty_secret_or_the_health_path_is_refused(inbox, health, path, secret):
    with pytest.raises(ValueError):
        WebhookServer(path=path, secret=secret, accept=inbox.accept, health=health)


async def test_after_stop_a_request_cannot_connect(inbox, health):
    server = WebhookServer(path=PATH, secret=SECRET, accept=inbox.accept, health=health)
    port = await server.start("127.0.0.1", 0)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        assert (await client.get("/healthz")).status_code == 200
        await server.stop()
        with pytest.raises(httpx.ConnectError):
            await client.get("/healthz")
    await server.stop()


async def test_stop_lets_an_update_being_accepted_finish(inbox, health):
    server = WebhookServer(path=PATH, secret=SECRET, accept=inbox.accept, health=health)
    port = await server.start("127.0.0.1", 0)
    inbox.release = asyncio.Event()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        request = asyncio.create_task(client.post(PATH, json=UPDATE, headers=RIGHT))
        await asyncio.wait_for(inbox.entered.wait(), 5)
        stopping = asyncio.create_task(server.stop())
        await asyncio.sleep(0.05)
        assert not stopping.done()
        inbox.release.set()
        assert (await request).status_code == 200
        await stopping
    assert inbox.updates == [UPDATE]


async def test_an_update_arriving_while_stopping_is_refused_for_a_retry(inbox, health):
    server = WebhookServer(path=PATH, secret=SECRET, accept=inbox.accept, health=health)
    port = await server.start("127.0.0.1", 0)
    inbox.release = asyncio.Event()
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base) as first, httpx.AsyncClient(base_url=base) as late:
        assert (await late.get("/healthz")).status_code == 200  # a kept-alive connection
        request = asyncio.create_task(first.post(PATH, json=UPDATE, headers=RIGHT))
        await asyncio.wait_for(inbox.entered.wait(), 5)
        stopping = asyncio.create_task(server.stop())
        await asyncio.sleep(0.05)
        second = {**UPDATE, "update_id": 42}
        assert (await late.post(PATH, json=second, headers=RIGHT)).status_code == 503
        inbox.release.set()
        assert (await request).status_code == 200
        await stopping
    assert inbox.updates == [UPDATE]


async def test_stop_gives_up_on_an_accept_that_hangs(inbox, health, caplog):
    server = WebhookServer(path=PATH, secret=SECRET, accept=inbox.accept, health=health)
    port = await server.start("127.0.0.1", 0)
    inbox.release = asyncio.Event()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        request = asyncio.create_task(client.post(PATH, json=UPDATE, headers=RIGHT))
        await asyncio.wait_for(inbox.entered.wait(), 5)
        await server.stop(grace=0.05)
        with pytest.raises(httpx.RemoteProtocolError):
            await request
    inbox.release.set()
    await asyncio.sleep(0.01)
    assert "still being accepted" in caplog.text


async def test_the_server_starts_only_once(server):
    with pytest.raises(RuntimeError):
        await server.start("127.0.0.1", 0)


# --- the webhook in front of the real application -------------------------------------------


async def test_a_posted_update_is_handled_once_and_one_without_the_secret_not_at_all(kapstok):
    """Kapstok's inbox behind the webhook: a repeated update is handled once; a post without
    the secret never reaches it."""
    inbox = kapstok.app.bot_data.inbox
    server = WebhookServer(
        path="/telegram",
        secret="s3cret-token",
        accept=lambda raw: inbox.accept([raw]),
        health=kapstok.app.bot_data.backlog,
    )
    port = await server.start("127.0.0.1", 0)
    nora = kapstok.person(216, "Nora", "en")
    update = {"update_id": 9001, **nora.command("/help")}
    url = f"http://127.0.0.1:{port}/telegram"
    try:
        async with httpx.AsyncClient() as client:
            refused = await client.post(url, json={**update, "update_id": 9002})
            first = await client.post(url, json=update, headers={SECRET_HEADER: "s3cret-token"})
            again = await client.post(url, json=update, headers={SECRET_HEADER: "s3cret-token"})
            await inbox.drain()
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        await server.stop()
    assert (refused.status_code, first.status_code, again.status_code) == (403, 200, 200)
    assert len(nora.inbox) == 1  # /help answered once
    assert health.json()["inbox"]["unhandled"] == 0
