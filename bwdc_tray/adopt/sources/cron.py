"""cron: the user's crontab, /etc/cron.d, and (as root) the crontabs of `bwdc` and of the users
named in /etc/cron.d. bwdc-tray's own blocks and jobs are left out."""

from __future__ import annotations

import re
from pathlib import Path

from bwdc_tray.adopt.context import Env, findings, with_note
from bwdc_tray.adopt.model import Finding, Kind
from bwdc_tray.adopt.recipe import read_command

DEDICATED_USER = "bwdc"  # the user Bitwarden's recipe creates

_ENV_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_OUR_BLOCK_BEGIN = re.compile(r"^# BEGIN bwdc-tray (\S+)")
_OUR_BLOCK_END = re.compile(r"^# END bwdc-tray (\S+)")


def cron_schedule(spec: str) -> tuple[str | None, list[str]]:
    """A crontab line's time fields as our canonical expression, or None, with notes."""
    from bwdc_tray.errors import BwdcTrayError
    from bwdc_tray.schedule import cron

    low = spec.strip().lower()
    if low == "@reboot":
        return None, [
            "runs at boot (@reboot), not at set times: choose a schedule when adopting it"
        ]
    try:
        parsed = cron.parse(spec)
    except (BwdcTrayError, ValueError) as exc:
        return None, [f"its schedule {spec!r} has no exact 5-field cron form here: {exc}"]
    notes = []
    if parsed.min_gap_minutes() < cron.MIN_INTERVAL_MINUTES:
        notes.append(
            f"it runs every {parsed.min_gap_minutes()} minute(s), more often than "
            f"bwdc-tray's {cron.MIN_INTERVAL_MINUTES}-minute floor"
        )
    return parsed.text, notes


def _unquote_env(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _cron_command(text: str) -> str:
    """What cron hands to the shell: up to the first unescaped %, with \\% made %."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("\\%", i):
            out.append("%")
            i += 2
            continue
        if text[i] == "%":
            break
        out.append(text[i])
        i += 1
    return "".join(out)


def _our_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside bwdc-tray's own blocks (tolerant of broken blocks)."""
    ours: set[int] = set()
    open_at: int | None = None
    for i, line in enumerate(lines):
        if _OUR_BLOCK_BEGIN.match(line):
            open_at = i
        elif _OUR_BLOCK_END.match(line) and open_at is not None:
            ours.update(range(open_at, i + 1))
            open_at = None
    if open_at is not None:
        ours.update(range(open_at, len(lines)))
    return ours


def _is_ours(command: str) -> bool:
    # Our jobs run `bwdc-tray run NAME` (or `python -m bwdc_tray run NAME`).
    return bool(re.search(r"(^|[\s/\\'\"])(bwdc-tray|bwdc_tray)(\.exe)?['\"]?\s+(.*\s)?run\b",
                          command))  # fmt: skip


def cron_table(
    text: str,
    ctx: Env,
    *,
    kind: Kind,
    owner: str,
    where: str,
    artifact_path: str | None,
    user_field: bool,
    whole_file: bool = False,
) -> list[Finding]:
    """The findings of one crontab (``user_field``: the /etc/cron.d format). A finding's raw
    text is its line, or with ``whole_file`` (cron.d) the whole file, exactly as read."""
    lines = text.split("\n")
    ours = _our_lines(lines)
    cron_env: dict[str, str] = {}
    out: list[Finding] = []
    for i, raw_line in enumerate(lines):
        line = raw_line.rstrip("\r")
        body = line.strip()
        if i in ours or not body or body.startswith("#"):
            continue
        if not (body[0].isdigit() or body[0] in "*@"):
            m = _ENV_LINE.match(body)
            if m:
                cron_env[m.group(1)] = _unquote_env(m.group(2))
            continue
        parts = body.split(None, 1 if body.startswith("@") else 5)
        if body.startswith("@"):
            spec, rest = parts[0], parts[1] if len(parts) > 1 else ""
        else:
            if len(parts) < 6:
                continue
            spec, rest = " ".join(parts[:5]), parts[5]
        user = owner
        if user_field:
            bits = rest.split(None, 1)
            if len(bits) < 2:
                continue
            user, rest = bits
        command = _cron_command(rest).strip()
        if _is_ours(command):
            continue
        home = cron_env.get("HOME") or ctx.home_of(user)
        job_env = {**cron_env}
        if home:
            job_env.setdefault("HOME", home)
        job_env.setdefault("LOGNAME", user)
        job_env.setdefault("USER", user)
        rctx = ctx.ctx(os_name=ctx.os_name, home=home, user=user, cwd=home, env=job_env)
        recipe = read_command(command, rctx)
        if not recipe.syncs and not recipe.suspect:
            continue
        schedule, sched_notes = cron_schedule(spec)
        notes = list(sched_notes)
        if home is None:
            notes.append(f"the home folder of {user} is unknown here: ~ and $HOME stay unresolved")
        out.extend(
            findings(
                recipe,
                kind=kind,
                location=f"{where}, line {i + 1}",
                raw=text if whole_file else line,
                artifact_path=artifact_path,
                run_as=None if user == ctx.user else user,
                schedule=schedule,
                schedule_text=spec,
                command=command,
                notes=notes,
                no_log_note="it writes no log file: cron mails its output to the user (MAILTO)",
            )
        )
    return out


def _crontab_of(ctx: Env, user: str | None) -> str | None:
    argv = ["crontab", "-l"] if user is None else ["crontab", "-u", user, "-l"]
    res = ctx.call(argv)
    if res is None:
        return None
    code, out, _err = res
    if code != 0:
        return None  # "no crontab for X", an unknown user, or no right to read it
    return out


def _cron_d_files(etc: Path) -> list[Path]:
    folder = etc / "cron.d"
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return []
    skip = ("~", ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".rpmsave", ".rpmnew", ".swp")
    return [
        p for p in files if not p.name.endswith(skip) and not p.name.startswith((".", "bwdc-tray"))
    ]


def _cron_d_users(text: str) -> set[str]:
    users: set[str] = set()
    for line in text.split("\n"):
        body = line.strip()
        if not body or not (body[0].isdigit() or body[0] in "*@"):
            continue
        parts = body.split()
        idx = 1 if body.startswith("@") else 5
        if len(parts) > idx + 1:
            users.add(parts[idx])
    return users


def discover_cron(ctx: Env, etc: Path, is_root: bool) -> list[Finding]:
    out: list[Finding] = []
    mine = _crontab_of(ctx, None)
    if mine:
        out += cron_table(
            mine, ctx, kind="crontab", owner=ctx.user, where=f"crontab of {ctx.user}",
            artifact_path=None, user_field=False,
        )  # fmt: skip
    users: set[str] = {DEDICATED_USER}
    for path in _cron_d_files(etc):
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                text = fh.read()
        except OSError:
            continue
        users |= _cron_d_users(text)
        found = cron_table(
            text, ctx, kind="cron.d", owner="root", where=str(path),
            artifact_path=str(path), user_field=True, whole_file=True,
        )  # fmt: skip
        if "." in path.name:
            found = [
                with_note(f, "Debian's cron ignores /etc/cron.d files whose names hold a dot")
                for f in found
            ]
        out += found
    if is_root:
        for user in sorted(users - {ctx.user, "root"}):
            table = _crontab_of(ctx, user)
            if table:
                out += cron_table(
                    table, ctx, kind="crontab", owner=user, where=f"crontab of {user}",
                    artifact_path=None, user_field=False,
                )  # fmt: skip
    return out
