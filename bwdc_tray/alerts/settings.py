"""Where the alert settings live, and how an instance's merge with the default.

Each scope (an instance, or the default under ``model.DEFAULT_SCOPE``) has a JSON object: the
default's in ``Config.alerts``, an instance's in its ``extra["alerts"]``::

    {"webhook": {"format": "slack", "every_run": false} | false,
     "healthcheck": {"style": "healthchecks"} | false,
     "system_log": true | false,
     "metrics_dir": "/var/lib/node_exporter/textfile" | false}

A key that is absent means "as the default"; ``false`` means "off for this instance, even if the
default has it". The URLs (which may hold a token) are never in that object: they are in the
keyring, under (scope, ``model.WEBHOOK_URL`` / ``model.HEALTHCHECK_URL``).

Reading is tolerant: a value this version cannot read (hand-edited, or written by a newer one)
counts as off, so a run is never stopped by its alerts; ``problems`` names such values.
Messages are plain English, as the CLI's are (not marked for translation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bwdc_tray.alerts.model import (
    DEFAULT_SCOPE,
    HEALTHCHECK_STYLES,
    HEALTHCHECK_URL,
    WEBHOOK_FORMATS,
    WEBHOOK_URL,
    AlertSettings,
    HealthcheckSettings,
    WebhookSettings,
)
from bwdc_tray.config import Config
from bwdc_tray.errors import InvalidInput
from bwdc_tray.secrets import SecretStore

KEY = "alerts"  # the key of an instance's extra that holds its own settings
CHANNELS = ("webhook", "healthcheck", "system_log", "metrics_dir")
URL_FIELDS = (WEBHOOK_URL, HEALTHCHECK_URL)
# The keyring field that holds each channel's URL (channels without one are not listed).
URL_FIELD = {"webhook": WEBHOOK_URL, "healthcheck": HEALTHCHECK_URL}
_OFF: dict[str, Any] = {
    "webhook": None,
    "healthcheck": None,
    "system_log": False,
    "metrics_dir": None,
}


@dataclass(frozen=True)
class Effective:
    """An instance's settings after the merge, and for each channel the scope it comes from:
    the instance's name when its own object holds the key (on, or ``false``), else
    ``DEFAULT_SCOPE`` (whether the default has it on or not)."""

    settings: AlertSettings
    scopes: dict[str, str]

    def inherited(self, channel: str) -> bool:
        return self.scopes[channel] == DEFAULT_SCOPE


# --- validation -------------------------------------------------------------------------------


def validate_url(url: str, what: str) -> str:
    """``url`` if it is an http(s) URL with a host and no whitespace; ``what`` names the field
    in the message ("--webhook URL"). The message never repeats the URL (it may hold a token)."""
    text = url.strip()
    if not text:
        raise InvalidInput(f"{what} is empty", "give the full URL, starting with https://")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidInput(
            f"{what} must hold no spaces or control characters",
            "paste the URL exactly as the service gave it",
        )
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        raise InvalidInput(
            f"{what} is not a valid URL", "give the full URL, starting with https://"
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "none"
        raise InvalidInput(
            f"{what} must start with https:// or http:// (its scheme is {shown})",
            "give the URL the service shows for its incoming webhook or ping",
        )
    if not host:
        raise InvalidInput(
            f"{what} must name a host (https://HOST/…)", "give the full URL, with its host"
        )
    return text


def validate_metrics_dir(path: str | Path, what: str = "--metrics DIR") -> Path:
    """An absolute folder path (node_exporter's --collector.textfile.directory)."""
    text = str(path)
    if not text.strip() or "\x00" in text or "\n" in text:
        raise InvalidInput(f"{what} must be a folder path, got {text!r}")
    folder = Path(text)
    if not folder.is_absolute():
        raise InvalidInput(
            f"{what} must be an absolute path, got {text!r}",
            "give node_exporter's --collector.textfile.directory, e.g. "
            "/var/lib/node_exporter/textfile",
        )
    return folder


def url_origin(url: str) -> str:
    """What may be shown of a URL: scheme://host[:port]; never the user, path or query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = parts.port
    except ValueError:
        return "(invalid URL)"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


# --- the JSON of a scope ----------------------------------------------------------------------


def _scope_json(cfg: Config, scope: str) -> object:
    if scope == DEFAULT_SCOPE:
        return cfg.alerts
    return cfg.get(scope).extra.get(KEY)


def raw(cfg: Config, scope: str) -> dict[str, Any]:
    """A copy of that scope's own JSON object (empty when it has none)."""
    found = _scope_json(cfg, scope)
    return dict(found) if isinstance(found, dict) else {}


def _parse(channel: str, value: object) -> tuple[Any, str | None]:
    """(the setting, or its off value; why the value cannot be read, or None)."""
    off = _OFF[channel]
    if value is False or value is None:
        return off, None
    if channel == "webhook":
        if value is True:
            return WebhookSettings(), None
        if not isinstance(value, dict):
            return off, "expected an object or false"
        fmt = value.get("format", "generic")
        every = value.get("every_run", False)
        if fmt not in WEBHOOK_FORMATS:
            return off, f"'format' must be one of {', '.join(WEBHOOK_FORMATS)}"
        if not isinstance(every, bool):
            return off, "'every_run' must be true or false"
        return WebhookSettings(format=fmt, every_run=every), None
    if channel == "healthcheck":
        if value is True:
            return HealthcheckSettings(), None
        if not isinstance(value, dict):
            return off, "expected an object or false"
        style = value.get("style", "healthchecks")
        if style not in HEALTHCHECK_STYLES:
            return off, f"'style' must be one of {', '.join(HEALTHCHECK_STYLES)}"
        return HealthcheckSettings(style=style), None
    if channel == "system_log":
        return (True, None) if value is True else (off, "expected true or false")
    if not isinstance(value, str) or not Path(value).is_absolute():
        return off, "expected an absolute folder path or false"
    return Path(value), None


def _settings(obj: dict[str, Any]) -> AlertSettings:
    return AlertSettings(**{c: _parse(c, obj.get(c))[0] for c in CHANNELS})


def problems_in(obj: object) -> list[str]:
    """What cannot be read in a scope's JSON object (for `doctor`, `notify show`, import);
    each such channel counts as off."""
    if obj is None:
        return []
    if not isinstance(obj, dict):
        return ["the alert settings must be an object"]
    found = []
    for channel in CHANNELS:
        why = _parse(channel, obj.get(channel))[1]
        if why:
            found.append(f"'{channel}': {why}")
    return found


def problems(cfg: Config, scope: str) -> list[str]:
    return problems_in(_scope_json(cfg, scope))


def load(cfg: Config, scope: str) -> AlertSettings:
    """That scope's own settings, without inheritance (``false`` and absent are both off)."""
    return _settings(raw(cfg, scope))


def _to_json(channel: str, value: Any) -> Any:
    if channel == "webhook":
        assert isinstance(value, WebhookSettings)
        if value.format not in WEBHOOK_FORMATS:
            raise InvalidInput(
                f"--format must be one of {', '.join(WEBHOOK_FORMATS)}, got {value.format!r}"
            )
        return {"format": value.format, "every_run": bool(value.every_run)}
    if channel == "healthcheck":
        assert isinstance(value, HealthcheckSettings)
        if value.style not in HEALTHCHECK_STYLES:
            raise InvalidInput(
                f"--style must be one of {', '.join(HEALTHCHECK_STYLES)}, got {value.style!r}"
            )
        return {"style": value.style}
    if channel == "system_log":
        return True
    return str(validate_metrics_dir(value))


def save(cfg: Config, scope: str, settings: AlertSettings, *, inherit: Iterable[str] = ()) -> None:
    """Write ``settings`` as that scope's own, into ``cfg`` (the caller saves it, through
    ``ConfigStore.edit``). For an instance, a channel that is off is written ``false`` (off even
    if the default has it), unless it is named in ``inherit``: then its key is removed and it
    follows the default. For the default, off and inherit both remove the key. Keys this version
    does not know are kept."""
    inherit = set(inherit)
    unknown = inherit - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown alert channels: {sorted(unknown)}")
    obj = raw(cfg, scope)
    for channel in CHANNELS:
        value = getattr(settings, channel)
        if channel in inherit or (scope == DEFAULT_SCOPE and not value):
            obj.pop(channel, None)
        elif not value:
            obj[channel] = False
        else:
            obj[channel] = _to_json(channel, value)
    if scope == DEFAULT_SCOPE:
        cfg.alerts = obj
        return
    inst = cfg.get(scope)
    extra = {k: v for k, v in inst.extra.items() if k != KEY}
    if obj:
        extra[KEY] = obj
    cfg.instances[scope] = replace(inst, extra=extra)


def effective(cfg: Config, name: str) -> Effective:
    """An instance's settings, channel by channel: its own value (on or off), else the
    default's."""
    default = raw(cfg, DEFAULT_SCOPE)
    if name == DEFAULT_SCOPE:
        return Effective(_settings(default), dict.fromkeys(CHANNELS, DEFAULT_SCOPE))
    own = raw(cfg, name)
    values: dict[str, Any] = {}
    scopes: dict[str, str] = {}
    for channel in CHANNELS:
        source, scope = (own, name) if channel in own else (default, DEFAULT_SCOPE)
        values[channel] = _parse(channel, source.get(channel))[0]
        scopes[channel] = scope
    return Effective(AlertSettings(**values), scopes)


def metrics_dirs(cfg: Config) -> dict[str, Path | None]:
    """Each instance's effective metrics folder (for metrics.tidy after a change)."""
    return {name: effective(cfg, name).settings.metrics_dir for name in cfg.instances}


# --- URLs in the keyring ----------------------------------------------------------------------


def get_url(store: SecretStore, scope: str, field: str) -> str | None:
    _check_field(field)
    return store.get(scope, field)


def set_url(store: SecretStore, scope: str, field: str, url: str | None) -> None:
    """Store ``url`` (validated) under (scope, field); None deletes it."""
    _check_field(field)
    if url is None:
        store.delete(scope, field)
        return
    what = "--webhook URL" if field == WEBHOOK_URL else "--healthcheck URL"
    store.set(scope, field, validate_url(url, what))


def effective_url(store: SecretStore, eff: Effective, channel: str) -> str | None:
    """The URL a channel of an instance uses: the one stored for the scope its settings come
    from (an instance's own webhook needs its own URL; the default's is not borrowed)."""
    return get_url(store, eff.scopes[channel], URL_FIELD[channel])


def clear_urls(store: SecretStore, scope: str) -> int:
    """Delete a scope's URLs; how many keyring entries were deleted."""
    return sum(store.delete(scope, f) for f in URL_FIELDS)


def forget(cfg: Config, store: SecretStore, name: str) -> int:
    """Drop an instance's own alert settings (if it is still in ``cfg``) and its URLs; how many
    keyring entries were deleted."""
    inst = cfg.instances.get(name)
    if inst is not None and KEY in inst.extra:
        extra = {k: v for k, v in inst.extra.items() if k != KEY}
        cfg.instances[name] = replace(inst, extra=extra)
    return clear_urls(store, name)


def _check_field(field: str) -> None:
    if field not in URL_FIELDS:
        raise ValueError(f"not a URL field of the keyring: {field!r}")
