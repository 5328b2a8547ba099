"""The webhook and health-check channels against a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import base64
import socket
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from bwdc_tray import __version__
from bwdc_tray.alerts import healthcheck, http, webhook
from bwdc_tray.alerts.model import Delivery, Kind, RunEvent
from bwdc_tray.errors import InvalidInput
from tests.conftest import CANARY
from tests.fakes.http_receiver import Receiver, serving

T = 0.2  # per-request timeout in these tests
UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # urllib honours proxy variables; the receiver is local.
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as rec:
        yield rec


@pytest.fixture
def other() -> Iterator[Receiver]:
    with serving() as rec:
        yield rec


class Sleeps(list[float]):
    """An injected sleep: records the backoff without waiting for it."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def event(
    kind: Kind = "failure",
    *,
    result: str | None = "failed",
    message: str = "You are not logged in.",
    run_id: str = "20260105T020000-a1b2c3",
    label: str = "Corp LDAP",
) -> RunEvent:
    started = datetime(2026, 1, 5, 2, 0, tzinfo=timezone(timedelta(hours=1)))
    ended = kind != "start"
    return RunEvent(
        kind=kind,
        instance="corp-ldap",
        label=label,
        result=result if ended else None,
        message=message,
        groups=12 if ended else None,
        users=345 if ended else None,
        started=started,
        finished=started + timedelta(seconds=42.5) if ended else None,
        duration_s=42.5 if ended else None,
        trigger="schedule",
        run_id=run_id,
        host="sync-host-01",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- webhook bodies -------------------------------------------------------------------------


def test_generic_body_is_the_event_and_nothing_else(receiver: Receiver) -> None:
    ev = event()
    got = webhook.send(receiver.url + "/hook", ev, "generic", timeout=T)
    assert got == Delivery("webhook", True, "HTTP 200")
    [hit] = receiver.hits
    assert hit.method == "POST"
    assert hit.path == "/hook"
    assert hit.headers["content-type"].startswith("application/json")
    assert hit.headers["user-agent"] == f"bwdc-tray/{__version__}"
    body = hit.json()
    assert set(body) == set(ev.to_json())
    assert body["instance"] == "corp-ldap"
    assert body["result"] == "failed"
    assert body["message"] == "You are not logged in."
    assert (body["groups"], body["users"]) == (12, 345)
    assert body["started"] == "2026-01-05T02:00:00+01:00"
    assert body["finished"] == "2026-01-05T02:00:42.500000+01:00"
    assert body["host"] == "sync-host-01"
    assert body["event"] == "failure"


def test_long_messages_are_cut() -> None:
    body = webhook.payload(event(message="x" * 5000), "generic")
    assert len(body["message"]) <= 1000
    assert body["message"].endswith("…")


def test_slack_body_is_an_incoming_webhook_message(receiver: Receiver) -> None:
    ev = event(message="bind failed for <!channel> & co > all")
    got = webhook.send(receiver.url, ev, "slack", timeout=T)
    assert got.ok
    body = receiver.hits[0].json()
    assert set(body) == {"text", "blocks"}
    assert isinstance(body["text"], str)
    assert body["text"]
    blocks = body["blocks"]
    assert isinstance(blocks, list)
    assert [b["type"] for b in blocks] == ["header", "section", "section", "context"]
    header = blocks[0]["text"]
    assert header["type"] == "plain_text"
    assert len(header["text"]) <= 150
    assert "failed" in header["text"]
    assert "Corp LDAP" in header["text"]
    message = blocks[1]["text"]
    assert message["type"] == "mrkdwn"
    # Slack's control characters are escaped: no mention, no forged link.
    assert message["text"] == "bind failed for &lt;!channel&gt; &amp; co &gt; all"
    assert "<" not in body["text"]
    fields = blocks[2]["fields"]
    assert 1 <= len(fields) <= 10
    assert all(f["type"] == "mrkdwn" and isinstance(f["text"], str) for f in fields)
    facts = "\n".join(f["text"] for f in fields)
    for needle in ("corp-ldap", "failed", "12 group(s), 345 user(s)", "sync-host-01", "2026-01-05"):
        assert needle in facts
    assert blocks[3]["elements"][0]["type"] == "mrkdwn"


def test_teams_body_is_an_adaptive_card_message(receiver: Receiver) -> None:
    ev = event(message="see [here](https://evil.example) for details")
    got = webhook.send(receiver.url, ev, "teams", timeout=T)
    assert got.ok
    body = receiver.hits[0].json()
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["version"] in ("1.2", "1.3", "1.4", "1.5")
    kinds = [item["type"] for item in card["body"]]
    assert set(kinds) <= {"TextBlock", "FactSet"}
    texts = [item["text"] for item in card["body"] if item["type"] == "TextBlock"]
    assert all(isinstance(t, str) and t for t in texts)
    assert "failed" in texts[0]
    assert not any("](" in t for t in texts)  # no Markdown link out of the message
    facts = next(item["facts"] for item in card["body"] if item["type"] == "FactSet")
    assert all(set(f) == {"title", "value"} and isinstance(f["value"], str) for f in facts)
    table = {f["title"]: f["value"] for f in facts}
    assert table["Host"] == "sync-host-01"
    assert table["Groups / users"] == "12 group(s), 345 user(s)"
    assert table["Result"] == "failed"


def test_an_unknown_format_is_a_clear_failure(receiver: Receiver) -> None:
    got = webhook.send(receiver.url, event(), "discord", timeout=T)
    assert not got.ok
    assert "generic, slack, teams" in got.detail
    assert receiver.hits == []
    with pytest.raises(InvalidInput):
        webhook.payload(event(), "discord")


# ---- retries, timeouts, deadline --------------------------------------------------------------


def test_a_500_is_retried_up_to_the_limit() -> None:
    sleeps = Sleeps()
    with serving(mode="error") as rec:
        got = webhook.send(rec.url, event(), "generic", timeout=T, attempts=3, sleep=sleeps)
        assert len(rec.hits) == 3
    assert got == Delivery("webhook", False, "HTTP 500 after 3 attempts")
    assert sleeps == [0.5, 1.0]


def test_a_passing_500_then_200_is_delivered() -> None:
    sleeps = Sleeps()
    with serving(mode="flaky", fail_times=1) as rec:
        got = webhook.send(rec.url, event(), "generic", timeout=T, sleep=sleeps)
        assert len(rec.hits) == 2
    assert got.ok
    assert got.detail == "HTTP 200 after 2 attempts"
    assert sleeps == [0.5]


def test_429_is_retried_but_404_is_not() -> None:
    with serving(mode="status", status=429) as rec:
        got = webhook.send(rec.url, event(), "generic", timeout=T, sleep=Sleeps())
        assert len(rec.hits) == 3
    assert got.detail == "HTTP 429 after 3 attempts"
    sleeps = Sleeps()
    with serving(mode="notfound") as rec:
        got = webhook.send(rec.url, event(), "generic", timeout=T, sleep=sleeps)
        assert len(rec.hits) == 1
    assert got == Delivery("webhook", False, "HTTP 404")
    assert sleeps == []


def test_a_slow_receiver_times_out_within_the_bound() -> None:
    sleeps = Sleeps()
    with serving(mode="slow", delay=3) as rec:
        begin = time.monotonic()
        got = webhook.send(rec.url, event(), "generic", timeout=T, attempts=3, sleep=sleeps)
        took = time.monotonic() - begin
        assert len(rec.hits) == 3
    assert not got.ok
    assert got.detail == "timed out after 0.2 s (3 attempts)"
    assert took < T * 3 + 2.0  # generous: three timeouts, the backoff is injected
    assert sleeps == [0.5, 1.0]


def test_a_real_backoff_is_short() -> None:
    with serving(mode="error") as rec:
        begin = time.monotonic()
        got = webhook.send(rec.url, event(), "generic", timeout=T, attempts=2)
        took = time.monotonic() - begin
    assert got.detail == "HTTP 500 after 2 attempts"
    assert 0.4 < took < 3.0


def test_the_deadline_stops_retries() -> None:
    with serving(mode="error") as rec:
        got = webhook.send(
            rec.url, event(), "generic", timeout=T, deadline=time.monotonic() + 0.3, sleep=Sleeps()
        )
        assert len(rec.hits) == 1  # the 0.5 s backoff would cross the deadline
    assert not got.ok
    assert got.detail.startswith("HTTP 500")
    assert "no time left" in got.detail


def test_the_deadline_cuts_a_slow_attempt() -> None:
    with serving(mode="slow", delay=3) as rec:
        begin = time.monotonic()
        got = webhook.send(rec.url, event(), "generic", timeout=5, deadline=time.monotonic() + 0.3)
        took = time.monotonic() - begin
    assert not got.ok
    assert "timed out" in got.detail
    assert took < 2.0


def test_a_passed_deadline_sends_nothing(receiver: Receiver) -> None:
    got = webhook.send(receiver.url, event(), "generic", deadline=time.monotonic() - 1)
    assert not got.ok
    assert "no time left" in got.detail
    assert receiver.hits == []


def test_connection_refused_is_said_plainly() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    got = webhook.send(url, event(), "generic", timeout=T, sleep=Sleeps())
    assert not got.ok
    assert got.detail == "cannot connect: connection refused (3 attempts)"


# ---- no token leaves in a detail; no redirect is followed --------------------------------------


def test_a_redirect_to_another_host_is_not_followed(receiver: Receiver, other: Receiver) -> None:
    receiver.mode = "redirect"
    receiver.redirect_to = f"{other.url}/stolen?token={CANARY}"
    got = webhook.send(receiver.url + "/hook", event(), "generic", timeout=T, sleep=Sleeps())
    assert not got.ok
    assert got.detail.startswith("HTTP 302")
    assert "not followed" in got.detail
    assert len(receiver.hits) == 1
    assert other.hits == []


def test_no_detail_holds_the_path_query_or_userinfo() -> None:
    def secret_url(base: str) -> str:
        host = base.removeprefix("http://")
        return f"http://bot:{CANARY}@{host}/hooks/{CANARY}/x?token={CANARY}&t2={CANARY}"

    answers: list[Delivery] = []
    with serving() as ok, serving(mode="error") as bad, serving(mode="notfound") as missing:
        with serving(mode="slow", delay=2) as slow, serving(mode="redirect") as moved:
            moved.redirect_to = f"{ok.url}/elsewhere/{CANARY}"
            for rec in (ok, bad, missing, slow, moved):
                for fmt in ("generic", "slack", "teams"):
                    answers.append(
                        webhook.send(
                            secret_url(rec.url), event(), fmt, timeout=T, attempts=2, sleep=Sleeps()
                        )
                    )
                for style in ("healthchecks", "uptime-kuma"):
                    answers.append(
                        healthcheck.ping(
                            secret_url(rec.url),
                            event(),
                            style,
                            timeout=T,
                            attempts=2,
                            sleep=Sleeps(),
                        )
                    )
        # The userinfo became a Basic Authorization header, not part of the Host.
        assert (
            ok.hits[0].headers["authorization"]
            == "Basic " + base64.b64encode(f"bot:{CANARY}".encode()).decode()
        )
        assert ok.hits[0].path.startswith(f"/hooks/{CANARY}/x")
    closed = f"http://bot:{CANARY}@127.0.0.1:{free_port()}/h/{CANARY}?k={CANARY}"
    answers.append(webhook.send(closed, event(), "generic", timeout=T, sleep=Sleeps()))
    answers.append(webhook.send(f"ftp://{CANARY}/x?{CANARY}", event(), "generic"))
    answers.append(webhook.send(f"https://h/{CANARY} x", event(), "generic"))
    answers.append(healthcheck.ping(f"file:///{CANARY}", event(), "healthchecks"))
    assert len(answers) == 5 * 5 + 4
    for answer in answers:
        assert CANARY not in answer.detail, answer
        assert "hooks" not in answer.detail
        assert "token" not in answer.detail
    assert {a.ok for a in answers} == {True, False}


def test_where_keeps_scheme_host_and_port_only() -> None:
    assert http.where(f"https://u:{CANARY}@Hooks.Slack.com/services/{CANARY}?a=b") == (
        "https://hooks.slack.com"
    )
    assert http.where(f"http://127.0.0.1:8080/x/{CANARY}") == "http://127.0.0.1:8080"
    assert http.where(f"http://[::1]:9/{CANARY}") == "http://[::1]:9"
    assert CANARY not in http.where(f"{CANARY}://x/y")
    assert http.where("not a url") == "(an invalid URL)"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/hook", "file:///etc/passwd", "example.com/hook", "", "javascript:alert(1)"],
)
def test_non_http_urls_are_refused(url: str, receiver: Receiver) -> None:
    got = webhook.send(url, event(), "generic")
    assert not got.ok
    assert got.detail.startswith("refused:")
    with pytest.raises(InvalidInput) as err:
        http.check_url(url, "webhook URL")
    assert "webhook URL" in str(err.value)
    if url:
        assert url not in str(err.value)


def test_only_http_and_https_pass_the_check(receiver: Receiver) -> None:
    http.check_url(receiver.url + "/x")
    http.check_url("https://hc-ping.com/5b9f7f5e-0000-4000-8000-000000000000")
    assert "only http:// and https://" in webhook.send("ftp://x/y", event(), "slack").detail


# ---- health checks ---------------------------------------------------------------------------


def test_healthchecks_paths_and_run_id(receiver: Receiver) -> None:
    base = receiver.url + "/ping/5b9f7f5e-1111-4222-8333-444444444444"
    run = "20260105T020000-a1b2c3"
    start = healthcheck.ping(base, event("start", run_id=run), "healthchecks", timeout=T)
    fail = healthcheck.ping(base, event("failure", run_id=run), "healthchecks", timeout=T)
    ok = healthcheck.ping(
        base, event("success", result="ok", run_id=run), "healthchecks", timeout=T
    )
    back = healthcheck.ping(base + "/", event("recovery", result="ok"), "healthchecks", timeout=T)
    test = healthcheck.ping(base, event("test", result="ok", run_id="test"), "healthchecks")
    assert [d.ok for d in (start, fail, ok, back, test)] == [True] * 5
    assert {d.channel for d in (start, fail, ok, back, test)} == {"healthcheck"}
    paths = [h.path for h in receiver.hits]
    assert paths == [
        "/ping/5b9f7f5e-1111-4222-8333-444444444444/start",
        "/ping/5b9f7f5e-1111-4222-8333-444444444444/fail",
        "/ping/5b9f7f5e-1111-4222-8333-444444444444",
        "/ping/5b9f7f5e-1111-4222-8333-444444444444/",
        "/ping/5b9f7f5e-1111-4222-8333-444444444444/log",  # a test: logged, no state change
    ]
    rids = [h.query["rid"] for h in receiver.hits]
    assert all(len(r) == 1 for r in rids)
    for [rid] in rids:
        assert str(uuid.UUID(rid)) == rid
        assert uuid.UUID(rid).version == 5
    assert rids[0] == rids[1] == rids[2]  # stable per run id
    assert rids[3] == rids[0]  # the same run, whatever the URL's trailing slash
    assert rids[4] != rids[0]  # another run
    assert healthcheck.run_uuid(run) == rids[0][0]
    # The ping's log body: a short text with the message and the counts.
    hit = receiver.hits[1]
    assert hit.method == "POST"
    assert hit.headers["content-type"].startswith("text/plain")
    assert "You are not logged in." in hit.text
    assert "12 group(s), 345 user(s)" in hit.text
    assert len(hit.body) < 100_000


def test_healthchecks_keeps_the_admins_query(receiver: Receiver) -> None:
    url = receiver.url + "/ping/key/slug?create=1&rid=old"
    healthcheck.ping(url, event("start"), "healthchecks", timeout=T)
    [hit] = receiver.hits
    assert hit.path == "/ping/key/slug/start"
    assert hit.query["create"] == ["1"]
    assert hit.query["rid"] == [healthcheck.run_uuid(event().run_id)]


def test_healthchecks_failure_is_reported(receiver: Receiver) -> None:
    receiver.mode = "notfound"
    got = healthcheck.ping(receiver.url + "/ping/x", event(), "healthchecks", timeout=T)
    assert got == Delivery("healthcheck", False, "HTTP 404")


def test_uptime_kuma_push_merges_the_query(receiver: Receiver) -> None:
    push = receiver.url + "/api/push/AbCdEf123?status=up&msg=OK&ping=&extra=keep"
    up = healthcheck.ping(push, event("success", result="ok"), "uptime-kuma", timeout=T)
    down = healthcheck.ping(
        push, event("failure", message="Timed out & gone\nsecond line"), "uptime-kuma", timeout=T
    )
    assert up.ok and down.ok
    first, second = receiver.hits
    assert first.method == "GET"
    assert first.body == b""
    assert first.path == "/api/push/AbCdEf123"
    assert first.query == {
        "status": ["up"],
        "msg": ["ok: You are not logged in."],
        "ping": ["42500"],
        "extra": ["keep"],
    }
    for key in ("status", "msg", "ping"):  # never twice
        assert first.raw_query.count(f"{key}=") == 1
    assert second.query["status"] == ["down"]
    assert second.query["msg"] == ["failed: Timed out & gone"]


def test_uptime_kuma_has_no_start_ping(receiver: Receiver) -> None:
    got = healthcheck.ping(receiver.url + "/api/push/x", event("start"), "uptime-kuma")
    assert got.skipped
    assert got.ok
    assert got.detail.startswith("skipped:")
    assert "start" in got.detail
    assert receiver.hits == []


def test_an_unknown_style_is_a_clear_failure(receiver: Receiver) -> None:
    got = healthcheck.ping(receiver.url, event(), "cronitor")
    assert not got.ok
    assert "healthchecks, uptime-kuma" in got.detail
    assert receiver.hits == []


def test_healthcheck_retries_like_the_webhook() -> None:
    sleeps = Sleeps()
    with serving(mode="error") as rec:
        got = healthcheck.ping(rec.url + "/p", event(), "healthchecks", timeout=T, sleep=sleeps)
        assert [h.path for h in rec.hits] == ["/p/fail"] * 3
    assert got == Delivery("healthcheck", False, "HTTP 500 after 3 attempts")
