"""`bwdc-tray notify …`: alerts beyond the tray (webhook, health check, system log, metrics).

URLs are never taken from the command line (a token in a URL is a secret, and argv is readable
by other users and kept in shell history): they are asked for without echo, or read from
standard input with --stdin, and stored in the keyring. Only scheme://host of a URL is shown.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bwdc_tray.errors import EnvironmentProblem, Exit, InvalidInput
from bwdc_tray.paths import Paths

if TYPE_CHECKING:
    from bwdc_tray.alerts.model import Delivery
    from bwdc_tray.config import Config
    from bwdc_tray.secrets import SecretStore

_TITLES = {
    "webhook": "webhook",
    "healthcheck": "health check",
    "system_log": "system log",
    "metrics_dir": "metrics",
}
_FLAGS = "--webhook, --healthcheck, --system-log, --metrics DIR (or their --no-… forms)"


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    no = sub.add_parser(
        "notify",
        help="alerts: webhook (Slack, Teams), health-check pings, system log, metrics",
        description="Alerts beyond the tray, per instance or as the default for all. URLs are "
        "asked for without echo (or read with --stdin) and kept in the keyring, never taken "
        "from the command line.",
    )
    nsub = no.add_subparsers(dest="action", metavar="ACTION", parser_class=parser_class)
    nsub.required = True

    def scoped(name: str, text: str) -> argparse.ArgumentParser:
        sp: argparse.ArgumentParser = nsub.add_parser(name, help=text)
        sp.add_argument("name", nargs="?", metavar="NAME")
        sp.add_argument(
            "--default", action="store_true", help="the default, for every instance without its own"
        )
        return sp

    show = scoped("show", "what each instance's alerts are, and where each setting comes from")
    show.add_argument("--json", action="store_true")

    st = scoped("set", "turn alert channels on or off (URLs asked for without echo)")
    # An optional value only to refuse a URL given on the command line without echoing it.
    st.add_argument(
        "--webhook",
        nargs="?",
        const=True,
        default=None,
        metavar="",
        help="send a webhook; its URL is asked for (not shown), or read with --stdin",
    )
    st.add_argument("--format", choices=("generic", "slack", "teams"), help="the webhook's body")
    when = st.add_mutually_exclusive_group()
    when.add_argument(
        "--every-run",
        dest="every_run",
        action="store_const",
        const=True,
        help="a webhook after every run",
    )
    when.add_argument(
        "--on-change",
        dest="every_run",
        action="store_const",
        const=False,
        help="a webhook on failure and on recovery only (the default)",
    )
    st.add_argument("--no-webhook", action="store_true", help="no webhook")
    st.add_argument(
        "--healthcheck",
        nargs="?",
        const=True,
        default=None,
        metavar="",
        help="ping a health check at start, success and failure; its URL is asked for",
    )
    st.add_argument(
        "--style", choices=("healthchecks", "uptime-kuma"), help="the health check's style"
    )
    st.add_argument("--no-healthcheck", action="store_true", help="no health-check pings")
    slog = st.add_mutually_exclusive_group()
    slog.add_argument(
        "--system-log",
        dest="system_log",
        action="store_const",
        const=True,
        help="write each run's result to journald/syslog, the unified log or the Event Log",
    )
    slog.add_argument("--no-system-log", dest="system_log", action="store_const", const=False)
    met = st.add_mutually_exclusive_group()
    met.add_argument(
        "--metrics",
        metavar="DIR",
        help="write Prometheus metrics for node_exporter's textfile collector in DIR",
    )
    met.add_argument("--no-metrics", action="store_true")
    st.add_argument(
        "--stdin",
        action="store_true",
        help="read the URLs from standard input, one per line: webhook, then health check",
    )

    cl = scoped("clear", "remove an instance's own settings (it follows the default again)")
    for flag, text in (
        ("--webhook", "the webhook and its URL"),
        ("--healthcheck", "the health check and its URL"),
        ("--system-log", "the system log setting"),
        ("--metrics", "the metrics setting"),
        ("--all", "every channel"),
    ):
        cl.add_argument(flag, action="store_true", help=text)

    te = nsub.add_parser("test", help="send a test event through every configured channel")
    te.add_argument("name", metavar="NAME")


# --- helpers -----------------------------------------------------------------------------------


def _scope(cfg: Config, a: argparse.Namespace, required: bool = True) -> str | None:
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    cmd = f"bwdc-tray notify {a.action}"
    if a.name and "://" in a.name:
        raise InvalidInput(
            f"{cmd}: NAME looks like a URL; URLs are never taken from the command line",
            f"{cmd} NAME --webhook asks for it without echo; remove it from your shell history",
        )
    if a.name and a.default:
        raise InvalidInput(f"{cmd}: give NAME or --default, not both")
    if a.default:
        return DEFAULT_SCOPE
    if a.name:
        return cfg.get(a.name).name
    if required:
        raise InvalidInput(
            f"{cmd}: say whose alerts: NAME (an instance) or --default (every instance "
            "without its own)",
            f"{cmd} NAME …, or {cmd} --default …",
        )
    return None


def _who(scope: str) -> str:
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    return "the default" if scope == DEFAULT_SCOPE else scope


def _arg(scope: str) -> str:
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    return "--default" if scope == DEFAULT_SCOPE else scope


def _open_store(cfg: Config) -> SecretStore:
    from bwdc_tray import secrets

    return secrets.open_store(cfg.demo)


def _origins(store: SecretStore | None, eff: Any) -> dict[str, str | None]:
    """scheme://host of the URL each URL channel would use; None when none is stored."""
    from bwdc_tray.alerts import settings

    found: dict[str, str | None] = {}
    for channel in settings.URL_FIELD:
        if store is None:
            found[channel] = "?"
            continue
        url = settings.effective_url(store, eff, channel)
        found[channel] = settings.url_origin(url) if url else None
    return found


def _view(cfg: Config, store: SecretStore | None, scope: str) -> dict[str, Any]:
    from bwdc_tray.alerts import settings
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    eff = settings.effective(cfg, scope)
    origins = _origins(store, eff)
    channels: dict[str, Any] = {}
    for channel in settings.CHANNELS:
        value = getattr(eff.settings, channel)
        own = eff.scopes[channel] == scope
        if value:
            source = "own" if own and scope != DEFAULT_SCOPE else "default"
        else:
            source = "off"
        item: dict[str, Any] = {
            "from": source,
            # Off for this instance although the default may have it on.
            "off_here": scope != DEFAULT_SCOPE and own and not value,
        }
        if channel == "webhook":
            item["format"] = value.format if value else None
            item["every_run"] = value.every_run if value else None
        elif channel == "healthcheck":
            item["style"] = value.style if value else None
        elif channel == "metrics_dir":
            item["dir"] = str(value) if value else None
        if channel in settings.URL_FIELD:
            item["url"] = origins[channel] if value else None
        channels[channel] = item
    problems = settings.problems(cfg, DEFAULT_SCOPE)
    if scope != DEFAULT_SCOPE:
        problems = [f"{scope}: {p}" for p in settings.problems(cfg, scope)] + [
            f"the default: {p}" for p in problems
        ]
    return {
        "name": None if scope == DEFAULT_SCOPE else scope,
        "scope": "default" if scope == DEFAULT_SCOPE else "instance",
        "channels": channels,
        "problems": problems,
    }


def _describe(channel: str, item: dict[str, Any], scope: str) -> str:
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    if item["from"] == "off":
        return "off (for this instance, whatever the default says)" if item["off_here"] else "off"
    if channel == "webhook":
        when = "after every run" if item["every_run"] else "on failure and on recovery"
        text = f"{item['format']}, {when}"
    elif channel == "healthcheck":
        text = f"{item['style']} style: start, success and failure pings"
    elif channel == "system_log":
        text = "on"
    else:
        text = item["dir"]
    if channel in ("webhook", "healthcheck"):
        source = scope if item["from"] == "own" else DEFAULT_SCOPE
        flag = "--webhook" if channel == "webhook" else "--healthcheck"
        if item["url"] is None:
            text += f" -> URL MISSING (bwdc-tray notify set {_arg(source)} {flag})"
        else:
            text += f" -> {item['url']}"
    if scope != DEFAULT_SCOPE:
        text += "  (own)" if item["from"] == "own" else "  (from the default)"
    return text


def _print_view(view: dict[str, Any], out: TextIO, err: TextIO) -> None:
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    scope = view["name"] or DEFAULT_SCOPE
    title = "default (every instance without its own)" if view["name"] is None else view["name"]
    out.write(f"{title}:\n")
    for channel, item in view["channels"].items():
        out.write(f"  {_TITLES[channel] + ':':<14}{_describe(channel, item, scope)}\n")
    for problem in view["problems"]:
        err.write(f"warning: {problem}; it counts as off\n")


def _store_or_none(cfg: Config, err: TextIO) -> SecretStore | None:
    try:
        return _open_store(cfg)
    except EnvironmentProblem as exc:
        err.write(f"warning: URLs not shown: {exc.message}\n")
        return None


# --- show --------------------------------------------------------------------------------------


def cmd_show(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bwdc_tray.alerts.model import DEFAULT_SCOPE
    from bwdc_tray.config import ConfigStore

    cfg = ConfigStore(paths).load()
    scope = _scope(cfg, a, required=False)
    scopes = [scope] if scope is not None else [DEFAULT_SCOPE, *cfg.instances]
    store = _store_or_none(cfg, err)
    views = [_view(cfg, store, s) for s in scopes]
    if a.json:
        json.dump(views if scope is None else views[0], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    for view in views:
        _print_view(view, out, err)
    return 0


# --- set ---------------------------------------------------------------------------------------


def _refuse_url_values(a: argparse.Namespace) -> None:
    """`--webhook https://…`: refused without repeating it; `--webhook NAME`: NAME."""
    for flag in ("webhook", "healthcheck"):
        value = getattr(a, flag)
        if value is None or value is True:
            continue
        if "://" in value or value.lower().startswith(("http", "www.")) or a.name is not None:
            raise InvalidInput(
                f"--{flag} takes no URL on the command line: other users can read it there, "
                "and your shell history keeps it",
                f"run `bwdc-tray notify set NAME --{flag}` and paste the URL at the prompt (not "
                f"shown), or pipe it with --stdin; remove it from your shell history",
            )
        a.name = value  # `notify set --webhook corp`: the NAME came after the flag
        setattr(a, flag, True)


def _read_urls(a: argparse.Namespace, scope: str, stdin: TextIO) -> dict[str, str]:
    from bwdc_tray.alerts import settings
    from bwdc_tray.alerts.model import HEALTHCHECK_URL, WEBHOOK_URL

    wanted = [
        (field, what, prompt)
        for on, field, what, prompt in (
            (a.webhook, WEBHOOK_URL, "--webhook URL", "webhook URL"),
            (a.healthcheck, HEALTHCHECK_URL, "--healthcheck URL", "health-check ping URL"),
        )
        if on
    ]
    if not wanted:
        return {}
    if a.stdin:
        lines = [ln.strip() for ln in stdin.read().splitlines() if ln.strip()]
        if len(lines) != len(wanted):
            order = ", then ".join(w for _f, w, _p in wanted)
            raise InvalidInput(
                f"--stdin: expected {len(wanted)} line(s) ({order}), got {len(lines)}",
                "one URL per line, in the order webhook, health check (only those asked for)",
            )
        values = lines
    else:
        if not stdin.isatty():
            raise InvalidInput(
                "no terminal to ask for the URL on", "pipe the URL(s) in and add --stdin"
            )
        values = [
            getpass.getpass(f"{_who(scope)}: {prompt} (not shown): ").strip()
            for _f, _w, prompt in wanted
        ]
    return {
        field: settings.validate_url(value, what)
        for (field, what, _p), value in zip(wanted, values, strict=True)
    }


def cmd_set(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from bwdc_tray import secrets
    from bwdc_tray.alerts import settings
    from bwdc_tray.alerts.model import (
        DEFAULT_SCOPE,
        HEALTHCHECK_URL,
        WEBHOOK_URL,
        AlertSettings,
        HealthcheckSettings,
        WebhookSettings,
    )
    from bwdc_tray.config import ConfigStore

    _refuse_url_values(a)
    cfg = ConfigStore(paths).load()
    scope = _scope(cfg, a)
    assert scope is not None
    webhook_on = bool(a.webhook or a.format or a.every_run is not None)
    healthcheck_on = bool(a.healthcheck or a.style)
    if a.no_webhook and webhook_on:
        raise InvalidInput(
            "--no-webhook cannot go with --webhook, --format, --every-run or --on-change",
            "turn the webhook on with those, or off with --no-webhook alone",
        )
    if a.no_healthcheck and healthcheck_on:
        raise InvalidInput(
            "--no-healthcheck cannot go with --healthcheck or --style",
            "turn the health check on with those, or off with --no-healthcheck alone",
        )
    changes = (webhook_on, healthcheck_on, a.no_webhook, a.no_healthcheck, a.no_metrics)
    if not any(changes) and a.system_log is None and a.metrics is None:
        raise InvalidInput("nothing to change", f"give at least one of {_FLAGS}")
    if a.stdin and not (a.webhook or a.healthcheck):
        raise InvalidInput(
            "--stdin reads the URLs of --webhook and --healthcheck: give at least one of them",
            f"bwdc-tray notify set {_arg(scope)} --webhook --stdin (one URL per line)",
        )
    metrics = settings.validate_metrics_dir(a.metrics) if a.metrics is not None else None
    store = _open_store(cfg)  # no keyring: exit 5 here, before any prompt
    for on, given, field, flag in (
        (webhook_on, a.webhook, WEBHOOK_URL, "--webhook"),
        (healthcheck_on, a.healthcheck, HEALTHCHECK_URL, "--healthcheck"),
    ):
        if on and not given and settings.get_url(store, scope, field) is None:
            fix = f"add {flag}: `bwdc-tray notify set {_arg(scope)} {flag}` asks for it (not shown)"
            if scope == DEFAULT_SCOPE:
                raise InvalidInput(f"{flag}: the default's {flag[2:]} needs a URL", fix)
            raise InvalidInput(
                f"{flag}: {scope}'s own {flag[2:]} needs its own URL, and none is stored",
                f"{fix} (the default's URL serves only instances that follow the default)",
            )
    urls = _read_urls(a, scope, stdin)

    with ConfigStore(paths).edit() as cfg:
        dirs_before = settings.metrics_dirs(cfg)
        own = settings.raw(cfg, scope)
        eff = settings.effective(cfg, scope)
        values: dict[str, Any] = {
            c: getattr(settings.load(cfg, scope), c) for c in settings.CHANNELS
        }
        if webhook_on:
            base = eff.settings.webhook or WebhookSettings()
            every = base.every_run if a.every_run is None else a.every_run
            values["webhook"] = WebhookSettings(format=a.format or base.format, every_run=every)
        if healthcheck_on:
            hc_base = eff.settings.healthcheck or HealthcheckSettings()
            values["healthcheck"] = HealthcheckSettings(style=a.style or hc_base.style)
        if a.no_webhook:
            values["webhook"] = None
        if a.no_healthcheck:
            values["healthcheck"] = None
        if a.system_log is not None:
            values["system_log"] = a.system_log
        if metrics is not None or a.no_metrics:
            values["metrics_dir"] = metrics
        touched = {
            c
            for c, hit in (
                ("webhook", webhook_on or a.no_webhook),
                ("healthcheck", healthcheck_on or a.no_healthcheck),
                ("system_log", a.system_log is not None),
                ("metrics_dir", metrics is not None or a.no_metrics),
            )
            if hit
        }
        inherit = [c for c in settings.CHANNELS if c not in own and c not in touched]
        settings.save(cfg, scope, AlertSettings(**values), inherit=inherit)
        # In the keyring before the configuration is saved: a keyring that refuses leaves
        # the configuration as it was.
        for field, url in urls.items():
            settings.set_url(store, scope, field, url)
        for off, field in ((a.no_webhook, WEBHOOK_URL), (a.no_healthcheck, HEALTHCHECK_URL)):
            if off:
                settings.set_url(store, scope, field, None)
        dirs_after = settings.metrics_dirs(cfg)
    _tidy_metrics(dirs_before, dirs_after)
    secrets.forget_remembered_backend(paths.cache_dir)
    _print_view(_view(cfg, store, scope), out, err)
    if scope != DEFAULT_SCOPE and any((webhook_on, healthcheck_on)):
        out.write(f"next: bwdc-tray notify test {scope}\n")
    return 0


def _tidy_metrics(before: dict[str, Path | None], after: dict[str, Path | None]) -> None:
    if before != after:
        from bwdc_tray.alerts import metrics

        metrics.tidy(before, after)


# --- clear -------------------------------------------------------------------------------------


def cmd_clear(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bwdc_tray import secrets
    from bwdc_tray.alerts import settings
    from bwdc_tray.alerts.model import DEFAULT_SCOPE
    from bwdc_tray.config import ConfigStore

    cfg = ConfigStore(paths).load()
    scope = _scope(cfg, a)
    assert scope is not None
    chosen = [
        c
        for c, on in (
            ("webhook", a.webhook),
            ("healthcheck", a.healthcheck),
            ("system_log", a.system_log),
            ("metrics_dir", a.metrics),
        )
        if on or a.all
    ]
    if not chosen:
        raise InvalidInput(
            "say what to clear: --webhook, --healthcheck, --system-log, --metrics, or --all",
            f"bwdc-tray notify clear {_arg(scope)} --all",
        )
    store = _open_store(cfg)
    with ConfigStore(paths).edit() as cfg:
        dirs_before = settings.metrics_dirs(cfg)
        own = settings.raw(cfg, scope)
        inherit = [c for c in settings.CHANNELS if c not in own or c in chosen]
        settings.save(cfg, scope, settings.load(cfg, scope), inherit=inherit)
        for channel in chosen:
            if channel in settings.URL_FIELD:
                settings.set_url(store, scope, settings.URL_FIELD[channel], None)
        dirs_after = settings.metrics_dirs(cfg)
    _tidy_metrics(dirs_before, dirs_after)
    secrets.forget_remembered_backend(paths.cache_dir)
    names = ", ".join(_TITLES[c] for c in chosen)
    if scope == DEFAULT_SCOPE:
        out.write(f"cleared from the default: {names}\n")
    else:
        out.write(f"cleared {scope}'s own {names}: the default applies again\n")
    _print_view(_view(cfg, store, scope), out, err)
    return 0


# --- test --------------------------------------------------------------------------------------


# Delivery.channel -> the settings' channel.
_SETTING = {
    "webhook": "webhook",
    "healthcheck": "healthcheck",
    "system-log": "system_log",
    "metrics": "metrics_dir",
}


def _remedy(d: Delivery, name: str, eff: Any, origin: str | None) -> str:
    scope = _arg(eff.scopes.get(_SETTING.get(d.channel, ""), name))
    if d.channel in ("webhook", "healthcheck"):
        flag = f"--{d.channel}"
        where = f" reaches {origin}" if origin else " reaches the receiver"
        return (
            f"{d.channel}: check that this machine{where} (proxy, firewall) and that the URL is "
            f"right; store it again with `bwdc-tray notify set {scope} {flag}`"
        )
    if d.channel == "system-log":
        if sys.platform == "win32":
            return "system-log: run once as administrator to register the Event Log source"
        return "system-log: check that the system log (journald, syslog or the unified log) runs"
    folder = eff.settings.metrics_dir
    return f"metrics: check that {folder} exists and that the user the job runs as can write to it"


def cmd_test(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bwdc_tray.alerts import settings
    from bwdc_tray.config import ConfigStore

    cfg = ConfigStore(paths).load()
    name = cfg.get(a.name).name
    eff = settings.effective(cfg, name)
    fix = (
        f"bwdc-tray notify set {name} --webhook (or --healthcheck, --system-log, --metrics "
        "DIR), or the same with --default for every instance"
    )
    if eff.settings.empty:
        raise InvalidInput(f"no alert channel is configured for {name}, nor a default one", fix)
    try:
        from bwdc_tray.alerts.dispatch import send_test
    except ImportError as exc:
        raise EnvironmentProblem(
            f"this bwdc-tray cannot send alerts: {exc}", "reinstall bwdc-tray"
        ) from exc
    answers = send_test(paths, name)
    try:
        origins = _origins(_open_store(cfg), eff)
    except EnvironmentProblem:
        origins = {}
    failed: list[str] = []
    sent = 0
    for d in answers:
        origin = origins.get(d.channel)
        label = f"{d.channel} ({origin})" if origin else d.channel
        detail = d.detail
        if d.skipped:
            if not detail.startswith("skipped"):
                detail = f"skipped: {detail}"
        else:
            sent += 1
            if not d.ok:
                # "failed: …" details (the system log's) are not said twice.
                if detail.lower().startswith("failed"):
                    detail = detail[len("failed") :].lstrip(": ")
                detail = f"FAILED: {detail}"
                failed.append(_remedy(d, name, eff, origin))
        out.write(f"{label}: {detail}\n")
    if not sent:
        raise InvalidInput(f"nothing was sent: no channel of {name} is ready", fix)
    if failed:
        err.write(f"bwdc-tray: {len(failed)} of {sent} channel(s) failed\n")
        for remedy in failed:
            err.write(f"  fix: {remedy}\n")
        return int(Exit.ENVIRONMENT)
    return 0


def dispatch(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if a.action == "set":
        return cmd_set(paths, a, out, err, stdin)
    if a.action == "clear":
        return cmd_clear(paths, a, out, err)
    if a.action == "test":
        return cmd_test(paths, a, out, err)
    return cmd_show(paths, a, out, err)
