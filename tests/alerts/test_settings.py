"""alerts/settings.py: the JSON of each scope, inheritance, explicit off, URLs in the keyring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwdc_tray.alerts import settings
from bwdc_tray.alerts.model import (
    DEFAULT_SCOPE,
    HEALTHCHECK_URL,
    WEBHOOK_URL,
    AlertSettings,
    HealthcheckSettings,
    WebhookSettings,
)
from bwdc_tray.config import Config, ConfigStore, Instance, config_from_json
from bwdc_tray.errors import InvalidInput
from bwdc_tray.paths import resolve
from bwdc_tray.secrets import KeyringStore
from tests.conftest import World

TOKEN = "tok-Qx7-canary-9f"
SLACK = f"https://hooks.slack.com/services/T000/B000/{TOKEN}"


def two() -> Config:
    cfg = Config()
    for name in ("a", "b"):
        cfg.instances[name] = Instance(name=name, appdata=Path(f"/srv/{name}"))
    return cfg


def reloaded(cfg: Config) -> Config:
    return config_from_json(json.loads(json.dumps(cfg.to_json())))


def test_round_trip_through_the_config_json() -> None:
    cfg = two()
    everything = AlertSettings(
        webhook=WebhookSettings(format="slack", every_run=True),
        healthcheck=HealthcheckSettings(style="uptime-kuma"),
        system_log=True,
        metrics_dir=Path("/var/lib/node_exporter/textfile"),
    )
    settings.save(cfg, DEFAULT_SCOPE, everything)
    settings.save(cfg, "a", AlertSettings(system_log=True), inherit=("webhook", "healthcheck"))
    back = reloaded(cfg)
    assert settings.load(back, DEFAULT_SCOPE) == everything
    assert settings.raw(back, "a") == {"system_log": True, "metrics_dir": False}
    assert back.to_json()["alerts"]["webhook"] == {"format": "slack", "every_run": True}
    assert settings.raw(back, "b") == {} and "alerts" not in back.instances["b"].extra
    assert "alerts" not in Config().to_json(), "written only when there is one"


def test_inheritance_and_explicit_off() -> None:
    cfg = two()
    default = AlertSettings(webhook=WebhookSettings(format="teams"), system_log=True)
    settings.save(cfg, DEFAULT_SCOPE, default)
    # a: its own metrics, the webhook explicitly off, the rest inherited.
    settings.save(
        cfg,
        "a",
        AlertSettings(metrics_dir=Path("/m")),
        inherit=("healthcheck", "system_log"),
    )
    assert settings.raw(cfg, "a") == {"webhook": False, "metrics_dir": "/m"}
    eff = settings.effective(cfg, "a")
    assert eff.settings == AlertSettings(system_log=True, metrics_dir=Path("/m"))
    assert eff.scopes == {
        "webhook": "a",
        "healthcheck": DEFAULT_SCOPE,
        "system_log": DEFAULT_SCOPE,
        "metrics_dir": "a",
    }
    assert settings.load(cfg, "a") == AlertSettings(metrics_dir=Path("/m")), "no inheritance"
    eff_b = settings.effective(cfg, "b")
    assert eff_b.settings == default and set(eff_b.scopes.values()) == {DEFAULT_SCOPE}
    # Off in the default removes the key; an inherited channel stays absent.
    settings.save(cfg, DEFAULT_SCOPE, AlertSettings(system_log=True))
    assert cfg.alerts == {"system_log": True}
    settings.save(cfg, "a", settings.load(cfg, "a"), inherit=settings.CHANNELS)
    assert "alerts" not in cfg.instances["a"].extra


def test_unreadable_values_count_as_off_and_are_named() -> None:
    cfg = two()
    cfg.alerts = {"webhook": {"format": "irc"}, "system_log": "yes", "metrics_dir": "rel"}
    assert settings.load(cfg, DEFAULT_SCOPE).empty
    found = settings.problems(cfg, DEFAULT_SCOPE)
    assert len(found) == 3 and "'format' must be one of generic, slack, teams" in found[0]
    cfg.alerts = {"webhook": True, "future_channel": {"x": 1}}
    assert settings.load(cfg, DEFAULT_SCOPE).webhook == WebhookSettings()
    settings.save(cfg, DEFAULT_SCOPE, AlertSettings(system_log=True))
    assert cfg.alerts["future_channel"] == {"x": 1}, "keys of a newer version are kept"
    with pytest.raises(InvalidInput, match="--format"):
        settings.save(cfg, "a", AlertSettings(webhook=WebhookSettings(format="irc")))
    with pytest.raises(ValueError, match="unknown"):
        settings.save(cfg, "a", AlertSettings(), inherit=("pager",))


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("ftp://example.com/x", "https:// or http://"),
        ("hooks.slack.com/services/x", "https:// or http://"),
        ("https:///path-only", "must name a host"),
        ("https://exa mple.com/x", "no spaces"),
        ("", "is empty"),
        ("https://example.com:99999/", "not a valid URL"),
    ],
)
def test_validate_url_refusals(url: str, rule: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        settings.validate_url(url, "--webhook URL")
    text = str(caught.value)
    assert "--webhook URL" in text and rule in text
    assert "/x" not in text, "the message never repeats the URL"


def test_validate_url_and_origin() -> None:
    assert settings.validate_url(f"  {SLACK}\n", "--webhook URL") == SLACK
    assert settings.url_origin(SLACK) == "https://hooks.slack.com"
    assert settings.url_origin("http://u:pw@[::1]:8080/p?t=1") == "http://[::1]:8080"


def test_validate_metrics_dir() -> None:
    assert settings.validate_metrics_dir("/var/lib/x") == Path("/var/lib/x")
    with pytest.raises(InvalidInput, match="--metrics DIR must be an absolute path"):
        settings.validate_metrics_dir("textfile")


def test_urls_live_in_the_keyring_and_forget_drops_them(world: World) -> None:
    world.add("a", secrets=False)
    store = KeyringStore()
    settings.set_url(store, "a", WEBHOOK_URL, SLACK)
    settings.set_url(store, DEFAULT_SCOPE, HEALTHCHECK_URL, "https://hc-ping.com/uuid")
    assert settings.get_url(store, "a", WEBHOOK_URL) == SLACK
    with pytest.raises(InvalidInput):
        settings.set_url(store, "a", WEBHOOK_URL, "ftp://x/y")
    with pytest.raises(ValueError, match="not a URL field"):
        settings.get_url(store, "a", "client_secret")
    cs = ConfigStore(resolve())
    with cs.edit() as cfg:
        settings.save(cfg, "a", AlertSettings(webhook=WebhookSettings()), inherit=("healthcheck",))
    eff = settings.effective(cs.load(), "a")
    assert settings.effective_url(store, eff, "webhook") == SLACK
    assert settings.effective_url(store, eff, "healthcheck") == "https://hc-ping.com/uuid"
    assert TOKEN not in (world.home / "instances.json").read_text()
    with cs.edit() as cfg:
        assert settings.forget(cfg, store, "a") == 1
    assert settings.raw(cs.load(), "a") == {}
    assert settings.get_url(store, "a", WEBHOOK_URL) is None
    assert settings.get_url(store, DEFAULT_SCOPE, HEALTHCHECK_URL) is not None
    settings.set_url(store, DEFAULT_SCOPE, HEALTHCHECK_URL, None)
    assert settings.get_url(store, DEFAULT_SCOPE, HEALTHCHECK_URL) is None


def test_export_and_import_carry_the_default_without_urls(world: World) -> None:
    world.add("a", secrets=False)
    cs = ConfigStore(resolve())
    with cs.edit() as cfg:
        settings.save(cfg, DEFAULT_SCOPE, AlertSettings(system_log=True))
        settings.save(cfg, "a", AlertSettings(metrics_dir=Path("/m")), inherit=("system_log",))
    settings.set_url(KeyringStore(), DEFAULT_SCOPE, WEBHOOK_URL, SLACK)
    exported = world.tmp / "export.json"
    assert world.cli("export", str(exported)).code == 0
    doc = json.loads(exported.read_text())
    assert doc["alerts"] == {"system_log": True} and TOKEN not in exported.read_text()
    assert doc["instances"]["a"]["alerts"] == {
        "webhook": False,
        "healthcheck": False,
        "metrics_dir": "/m",
    }
    with cs.edit() as cfg:
        cfg.alerts = {}
    res = world.cli("import", str(exported), "--replace")
    assert res.code == 0 and "added the default alerts" in res.out, res.out
    assert cs.load().alerts == {"system_log": True}
    assert settings.raw(cs.load(), "a")["metrics_dir"] == "/m"
    doc["alerts"] = {"webhook": {"format": "irc"}}
    exported.write_text(json.dumps(doc))
    bad = world.cli("import", str(exported), "--replace")
    assert bad.code == 2 and "nothing was imported" in bad.err and "'format'" in bad.err
