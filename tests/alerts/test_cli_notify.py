"""`bwdc-tray notify …`: set, show, clear, test; URLs only ever in the keyring."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bwdc_tray.alerts import settings
from bwdc_tray.alerts.model import DEFAULT_SCOPE, HEALTHCHECK_URL, WEBHOOK_URL, Delivery
from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from bwdc_tray.secrets import KeyringStore
from tests.conftest import World

TOKEN = "whcanary-T9x2-secret"
SLACK = f"https://hooks.slack.com/services/T000/B000/{TOKEN}"
PING = f"https://hc-ping.com/{TOKEN}-ping"


def stored(scope: str, field: str) -> str | None:
    return settings.get_url(KeyringStore(), scope, field)


def files_holding(root: Path, text: str) -> list[Path]:
    """Every file under ``root`` holding ``text``, except the test keyring (the OS keyring's
    stand-in, where the URLs belong)."""
    return [
        p
        for p in root.rglob("*")
        if p.is_file() and p.name != "keyring.json" and text.encode() in p.read_bytes()
    ]


def test_set_show_and_urls_only_in_the_keyring(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add("corp", secrets=False)
    argvs: list[Any] = []
    real_popen = subprocess.Popen.__init__

    def spy(self: Any, args: Any, *rest: Any, **kw: Any) -> None:
        argvs.append(args)
        real_popen(self, args, *rest, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", spy)
    res = world.cli(
        "notify", "set", "--default", "--webhook", "--format", "slack", "--healthcheck",
        "--stdin", stdin=f"{SLACK}\n{PING}\n",
    )  # fmt: skip
    assert res.code == 0, res.err
    assert stored(DEFAULT_SCOPE, WEBHOOK_URL) == SLACK, "first line: the webhook"
    assert stored(DEFAULT_SCOPE, HEALTHCHECK_URL) == PING, "second line: the health check"
    assert "https://hooks.slack.com" in res.out and TOKEN not in res.out
    res = world.cli("notify", "set", "corp", "--system-log", "--metrics", str(world.tmp / "m"))
    assert res.code == 0, res.err
    show = world.cli("notify", "show", "corp")
    assert show.code == 0, show.err
    assert TOKEN not in show.out + show.err
    lines = {ln.split(":")[0].strip(): ln for ln in show.out.splitlines()[1:]}
    assert "from the default" in lines["webhook"] and "https://hooks.slack.com" in lines["webhook"]
    assert "own" in lines["system log"] and str(world.tmp / "m") in lines["metrics"]
    js = json.loads(world.cli("notify", "show", "corp", "--json").out)
    assert js["channels"]["webhook"] == {
        "from": "default",
        "off_here": False,
        "format": "slack",
        "every_run": False,
        "url": "https://hooks.slack.com",
    }
    assert js["channels"]["healthcheck"]["url"] == "https://hc-ping.com"
    everything = world.cli("notify", "show", "--json")
    assert [v["name"] for v in json.loads(everything.out)] == [None, "corp"]
    assert TOKEN not in everything.out
    assert files_holding(world.tmp, TOKEN) == []
    assert not any(TOKEN in " ".join(map(str, a)) for a in argvs), "never in any argv"


def test_explicit_off_for_one_instance_and_clear_brings_the_default_back(world: World) -> None:
    world.add("corp", secrets=False)
    assert world.cli("notify", "set", "--default", "--system-log").code == 0
    res = world.cli("notify", "set", "corp", "--no-system-log")
    assert res.code == 0 and "off (for this instance" in res.out
    cfg = ConfigStore(resolve()).load()
    assert settings.raw(cfg, "corp") == {"system_log": False}
    assert not settings.effective(cfg, "corp").settings.system_log
    res = world.cli("notify", "clear", "corp", "--system-log")
    assert res.code == 0 and "the default applies again" in res.out
    cfg = ConfigStore(resolve()).load()
    assert "alerts" not in cfg.instances["corp"].extra
    assert settings.effective(cfg, "corp").settings.system_log


def test_own_webhook_then_off_deletes_its_url(world: World) -> None:
    world.add("corp", secrets=False)
    res = world.cli(
        "notify", "set", "corp", "--webhook", "--every-run", "--stdin", stdin=SLACK + "\n"
    )
    assert res.code == 0, res.err
    assert "generic, after every run" in res.out and "(own)" in res.out
    assert stored("corp", WEBHOOK_URL) == SLACK
    # --format alone keeps the URL and the every-run choice.
    assert world.cli("notify", "set", "corp", "--format", "teams").code == 0
    own = settings.raw(ConfigStore(resolve()).load(), "corp")
    assert own == {"webhook": {"format": "teams", "every_run": True}}
    assert world.cli("notify", "set", "corp", "--no-webhook").code == 0
    assert stored("corp", WEBHOOK_URL) is None
    assert settings.raw(ConfigStore(resolve()).load(), "corp") == {"webhook": False}


def test_prompt_without_echo(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from bwdc_tray import cli

    world.add("corp", secrets=False)
    asked: list[str] = []

    def fake_getpass(prompt: str) -> str:
        asked.append(prompt)
        return PING

    monkeypatch.setattr("getpass.getpass", fake_getpass)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["notify", "set", "corp", "--healthcheck"], out=out, err=err, stdin=Tty())
    assert code == 0, err.getvalue()
    assert asked == ["corp: health-check ping URL (not shown): "]
    assert stored("corp", HEALTHCHECK_URL) == PING
    # No terminal and no --stdin: refused, with the fix.
    res = world.cli("notify", "set", "corp", "--webhook")
    assert res.code == 2 and "--stdin" in res.err


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["--webhook", "--stdin"], "ftp://hooks.example.com/x\n", "--webhook URL must start"),
        (["--webhook", "--stdin"], "https:///nohost\n", "--webhook URL must name a host"),
        (["--healthcheck", "--stdin"], "", "expected 1 line(s)"),
        (["--webhook", "--healthcheck", "--stdin"], SLACK + "\n", "expected 2 line(s)"),
        (["--metrics", "relative/dir"], "", "--metrics DIR must be an absolute path"),
        ([], "", "nothing to change"),
        (["--webhook", "--no-webhook"], "", "--no-webhook cannot go with"),
        (["--stdin", "--system-log"], "", "--stdin reads the URLs"),
        (["--format", "slack"], "", "needs its own URL"),
        (["--style", "uptime-kuma"], "", "needs its own URL"),
    ],
)
def test_refusals_name_the_flag_and_change_nothing(
    world: World, args: list[str], stdin: str, needle: str
) -> None:
    world.add("corp", secrets=False)
    before = (world.home / "instances.json").read_bytes()
    res = world.cli("notify", "set", "corp", *args, stdin=stdin)
    assert res.code == 2, res.out + res.err
    assert needle in res.err
    assert "fix:" in res.err
    assert (world.home / "instances.json").read_bytes() == before
    assert stored("corp", WEBHOOK_URL) is None and stored("corp", HEALTHCHECK_URL) is None


def test_a_url_on_the_command_line_is_refused_without_echo(world: World) -> None:
    world.add("corp", secrets=False)
    for args in (
        ["corp", "--webhook", SLACK],
        ["--default", "--healthcheck", PING],
        [SLACK],
    ):
        res = world.cli("notify", "set", *args)
        assert res.code == 2, args
        assert "command line" in res.err and TOKEN not in res.out + res.err
    assert stored("corp", WEBHOOK_URL) is None
    # `--webhook NAME`: the name after the flag is still the name.
    res = world.cli("notify", "set", "--webhook", "corp", "--stdin", stdin=SLACK)
    assert res.code == 0, res.err
    assert stored("corp", WEBHOOK_URL) == SLACK


def test_scope_is_required_and_single(world: World) -> None:
    world.add("corp", secrets=False)
    res = world.cli("notify", "set", "--system-log")
    assert res.code == 2 and "NAME" in res.err and "--default" in res.err
    assert world.cli("notify", "set", "corp", "--default", "--system-log").code == 2
    res = world.cli("notify", "set", "nope", "--system-log")
    assert res.code == 2 and "no instance named 'nope'" in res.err
    assert world.cli("notify", "clear", "corp").code == 2
    assert world.cli("notify", "set", "corp", "--format", "irc").code == 2


def test_clear_default_removes_its_urls(world: World) -> None:
    res = world.cli("notify", "set", "--default", "--webhook", "--stdin", stdin=SLACK)
    assert res.code == 0, res.err
    res = world.cli("notify", "clear", "--default", "--all")
    assert res.code == 0 and "cleared from the default" in res.out
    assert stored(DEFAULT_SCOPE, WEBHOOK_URL) is None
    assert ConfigStore(resolve()).load().alerts == {}


def test_instance_remove_forgets_the_urls_and_undo_keeps_them(world: World) -> None:
    from bwdc_tray import instances

    world.add("corp")
    res = world.cli(
        "notify", "set", "corp", "--webhook", "--healthcheck", "--stdin",
        stdin=f"{SLACK}\n{PING}\n",
    )  # fmt: skip
    assert res.code == 0, res.err
    removal = instances.remove_instance(resolve(), "corp", keep_secrets=True)
    assert stored("corp", WEBHOOK_URL) is None and stored("corp", HEALTHCHECK_URL) is None
    instances.restore_instance(resolve(), removal)
    assert stored("corp", WEBHOOK_URL) == SLACK, "Undo in the window brings them back"
    assert settings.raw(ConfigStore(resolve()).load(), "corp")["webhook"]["format"] == "generic"
    res = world.cli("instance", "remove", "corp")
    assert res.code == 0, res.err
    assert "4 keyring entries deleted" in res.out
    assert stored("corp", WEBHOOK_URL) is None and stored("corp", HEALTHCHECK_URL) is None
    assert TOKEN not in (world.tmp / "keyring.json").read_text()


def test_uninstall_data_removes_the_default_urls(world: World) -> None:
    world.add("corp", secrets=False)
    for args in (["corp", "--webhook"], ["--default", "--healthcheck"]):
        res = world.cli("notify", "set", *args, "--stdin", stdin=SLACK if "corp" in args else PING)
        assert res.code == 0, res.err
    res = world.cli("uninstall", "--data", "--yes")
    assert res.code == 0, res.out + res.err
    assert "1 keyring entry of corp" in res.out
    assert "1 keyring entry of the default alerts" in res.out
    assert TOKEN not in (world.tmp / "keyring.json").read_text()


def _deliveries(monkeypatch: pytest.MonkeyPatch, answers: list[Delivery]) -> list[str]:
    called: list[str] = []

    def send_test(paths: object, name: str) -> list[Delivery]:
        called.append(name)
        return answers

    monkeypatch.setattr("bwdc_tray.alerts.dispatch.send_test", send_test)
    return called


def test_notify_test_all_ok(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.add("corp", secrets=False)
    world.cli("notify", "set", "corp", "--webhook", "--system-log", "--stdin", stdin=SLACK)
    called = _deliveries(
        monkeypatch,
        [
            Delivery("webhook", True, "HTTP 200"),
            Delivery("system-log", True, "sent to journald"),
            Delivery("metrics", True, "skipped: not configured", skipped=True),
        ],
    )
    res = world.cli("notify", "test", "corp")
    assert res.code == 0, res.err
    assert called == ["corp"]
    assert res.out.splitlines() == [
        "webhook (https://hooks.slack.com): HTTP 200",
        "system-log: sent to journald",
        "metrics: skipped: not configured",
    ]
    assert TOKEN not in res.out + res.err


def test_notify_test_one_failed_is_5_with_a_remedy(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add("corp", secrets=False)
    world.cli("notify", "set", "corp", "--webhook", "--system-log", "--stdin", stdin=SLACK)
    _deliveries(
        monkeypatch,
        [
            Delivery("webhook", False, "HTTP 500 after 3 attempts"),
            Delivery("system-log", False, "failed: OSError: no /dev/log"),
        ],
    )
    res = world.cli("notify", "test", "corp")
    assert res.code == 5
    assert "system-log: FAILED: OSError: no /dev/log" in res.out
    assert "webhook (https://hooks.slack.com): FAILED: HTTP 500 after 3 attempts" in res.out
    assert "2 of 2 channel(s) failed" in res.err and "fix: system-log:" in res.err
    assert "fix: webhook:" in res.err and "notify set corp --webhook" in res.err
    assert TOKEN not in res.out + res.err


def test_notify_test_nothing_configured_is_2(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.add("corp", secrets=False)
    called = _deliveries(monkeypatch, [])
    res = world.cli("notify", "test", "corp")
    assert res.code == 2 and "bwdc-tray notify set corp" in res.err
    assert called == [], "nothing to send: not even tried"
    world.cli("notify", "set", "corp", "--system-log")
    _deliveries(monkeypatch, [Delivery("system-log", True, "skipped: no journald", skipped=True)])
    res = world.cli("notify", "test", "corp")
    assert res.code == 2 and "nothing was sent" in res.err


def test_run_fast_path_does_not_import_cli_notify() -> None:
    code = (
        "import sys; from bwdc_tray import cli; cli.build_parser('run'); "
        "print('bwdc_tray.cli_notify' in sys.modules, 'bwdc_tray.alerts.settings' in sys.modules)"
    )
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False"]
