"""The webhook channel: a run's event as a generic JSON body, or a Slack or Teams message.

- generic: :meth:`RunEvent.to_json` (the message cut to :data:`MESSAGE_MAX` characters);
- slack: an incoming-webhook message, ``text`` (the notification's fallback) plus Block Kit
  ``blocks`` (header, the message, the facts as fields, a context line); texts in mrkdwn have
  ``&``, ``<`` and ``>`` escaped so a message cannot ping ``<!channel>`` or forge a link;
- teams: a message with one Adaptive Card attachment, what both the Teams Workflows "post to a
  channel when a webhook request is received" flow and the older incoming webhooks accept (the
  Office 365 connectors' MessageCard is retired). Plain TextBlocks and a FactSet, card version
  1.4 (the highest that Workflows' flow bot renders everywhere).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bwdc_tray.alerts import http
from bwdc_tray.alerts.model import ATTEMPTS, TIMEOUT_S, WEBHOOK_FORMATS, Delivery, RunEvent
from bwdc_tray.errors import InvalidInput

CHANNEL = "webhook"
MESSAGE_MAX = 1000  # characters of bwdc's message that leave the machine
SLACK_HEADER_MAX = 150  # Block Kit: a header's plain_text
FIELD_MAX = 300  # a fact's value (labels are free text); Block Kit allows 2000 per field
ADAPTIVE_CARD_VERSION = "1.4"
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ADAPTIVE_CARD_TYPE = "application/vnd.microsoft.card.adaptive"


def short(text: str, limit: int = MESSAGE_MAX) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def title(event: RunEvent) -> str:
    """One English line saying what happened, for headers and notifications."""
    who = display_name(event)
    if event.kind == "start":
        return f"bwdc sync started: {who}"
    if event.kind == "test":
        return f"bwdc-tray test alert: {who}"
    if event.kind == "recovery":
        return f"bwdc sync recovered: {who}"
    if event.ok:
        return f"bwdc sync succeeded: {who}"
    if event.result == "timeout":
        return f"bwdc sync timed out: {who}"
    if event.result == "error":
        return f"bwdc sync could not run: {who}"
    return f"bwdc sync failed: {who}"


def display_name(event: RunEvent) -> str:
    if event.label and event.label != event.instance:
        return f"{event.label} ({event.instance})"
    return event.instance


def counts(event: RunEvent) -> str:
    if event.groups is None and event.users is None:
        return "not reported"
    groups = "?" if event.groups is None else str(event.groups)
    users = "?" if event.users is None else str(event.users)
    return f"{groups} group(s), {users} user(s)"


def _duration(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s"


def facts(event: RunEvent) -> list[tuple[str, str]]:
    """The event's facts, in the order shown, as (title, value) pairs."""
    rows = [
        ("Instance", display_name(event)),
        ("Result", event.result or "running"),
        ("Groups / users", counts(event)),
        ("Host", event.host),
        ("Started", event.started.isoformat(timespec="seconds")),
    ]
    if event.finished is not None:
        rows.append(("Finished", event.finished.isoformat(timespec="seconds")))
    took = _duration(event.duration_s)
    if took is not None:
        rows.append(("Duration", took))
    rows.append(("Trigger", event.trigger))
    return rows


def slack_escape(text: str) -> str:
    """Slack's control characters in text objects: only these three are entity-encoded."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _teams_plain(text: str) -> str:
    """TextBlocks render a subset of Markdown: break link syntax so a message cannot turn
    into a link with another target than the one it shows."""
    return text.replace("](", "] (")


def _slack_fit(text: str, limit: int) -> str:
    """``text`` shortened until its escaped form fits ``limit`` (Block Kit counts escaped)."""
    size = min(len(text), limit)
    escaped = slack_escape(short(text, size))
    while len(escaped) > limit and size > 1:
        size = size * limit // len(escaped) - 1
        escaped = slack_escape(short(text, max(size, 1)))
    return escaped


def _slack(event: RunEvent) -> dict[str, Any]:
    head = title(event)
    message = short(event.message) or "(no message)"
    fields = [
        {"type": "mrkdwn", "text": f"*{name}*\n{_slack_fit(value, FIELD_MAX)}"}
        for name, value in facts(event)
    ]
    return {
        "text": slack_escape(f"{head}: {short(event.message, 200) or event.result or ''}"),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": short(head, SLACK_HEADER_MAX)},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": _slack_fit(message, 3000)}},
            {"type": "section", "fields": fields[:10]},  # Block Kit: at most 10 fields
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": slack_escape(f"bwdc-tray · run {event.run_id}")}
                ],
            },
        ],
    }


def _teams(event: RunEvent) -> dict[str, Any]:
    if event.kind in ("start", "test"):
        color = "Accent"
    elif event.ok:
        color = "Good"
    else:
        color = "Attention"
    message = short(event.message) or "(no message)"
    card = {
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": [
            {
                "type": "TextBlock",
                "text": _teams_plain(title(event)),
                "weight": "Bolder",
                "size": "Medium",
                "color": color,
                "wrap": True,
            },
            {"type": "TextBlock", "text": _teams_plain(message), "wrap": True},
            {
                "type": "FactSet",
                "facts": [
                    {"title": name, "value": _teams_plain(short(value, FIELD_MAX))}
                    for name, value in facts(event)
                ],
            },
            {
                "type": "TextBlock",
                "text": _teams_plain(f"bwdc-tray · run {event.run_id}"),
                "isSubtle": True,
                "size": "Small",
                "wrap": True,
            },
        ],
        "msteams": {"width": "Full"},
    }
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD_TYPE, "contentUrl": None, "content": card}],
    }


def payload(event: RunEvent, fmt: str) -> dict[str, Any]:
    """The JSON body for ``fmt`` (one of WEBHOOK_FORMATS); InvalidInput for another."""
    if fmt == "generic":
        body = event.to_json()
        body["message"] = short(event.message)
        return body
    if fmt == "slack":
        return _slack(event)
    if fmt == "teams":
        return _teams(event)
    raise InvalidInput(
        f"webhook format: {fmt!r} is not one of {', '.join(WEBHOOK_FORMATS)}",
        "use --format generic, slack or teams",
    )


def send(
    url: str,
    event: RunEvent,
    fmt: str,
    *,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    deadline: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST the event to the webhook; what it answered, never the URL beyond its host."""
    try:
        body = payload(event, fmt)
    except InvalidInput as exc:
        return Delivery(CHANNEL, False, exc.message)
    outcome = http.request(
        url,
        method="POST",
        json=body,
        timeout=timeout,
        attempts=attempts,
        deadline=deadline,
        sleep=sleep,
    )
    return outcome.delivery(CHANNEL)
