"""What the discovery sources share: the machine they look at (`Env`), turning a recipe into
findings, and small helpers (notes, paths, cron fields)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bwdc_tray.adopt.calls import BwdcCall, Context, OsName, Recipe
from bwdc_tray.adopt.model import Finding, Kind
from bwdc_tray.oscmd import CommandNotFound, CommandRunner


@dataclass
class Env:
    """Everything discover() was given, for the sources."""

    runner: CommandRunner
    os_name: OsName
    user: str
    home: str
    env: Mapping[str, str]
    user_home: Callable[[str], str | None]
    read: Callable[[str], str | None]

    def ctx(self, **kw: Any) -> Context:
        """A recipe context that reads scripts through our reader."""
        return Context(read=self.read, **kw)

    def home_of(self, user: str | None) -> str | None:
        if user is None or user == self.user:
            return self.home
        return self.user_home(user)

    def call(self, argv: Sequence[str]) -> tuple[int, str, str] | None:
        try:
            res = self.runner(argv)
        except (CommandNotFound, OSError):
            return None
        return res.returncode, res.stdout, res.stderr


# --- turning a recipe into findings -------------------------------------------------------------


def findings(
    recipe: Recipe,
    *,
    kind: Kind,
    location: str,
    raw: str,
    artifact_path: str | None,
    run_as: str | None,
    schedule: str | None,
    schedule_text: str,
    command: str,
    notes: Sequence[str] = (),
    no_log_note: str | None = None,
) -> list[Finding]:
    syncs = recipe.syncs
    script = recipe.scripts[0] if recipe.scripts else None
    base_notes = [*notes, *recipe.notes]
    # What every finding of this job shares; each sync adds its own folder, log and notes.
    job = Finding(
        kind=kind,
        location=location,
        raw=raw,
        artifact_path=artifact_path,
        run_as=run_as,
        schedule=schedule,
        schedule_text=schedule_text,
        command=command,
        script=script,
        notes=tuple(_unique(base_notes)),
    )
    if not syncs:
        return [job] if recipe.suspect else []
    out = []
    logins = recipe.logins
    for k, call in enumerate(syncs, 1):
        part = "" if len(syncs) == 1 else f"sync {k} of {len(syncs)} ({call.where})"
        call_notes = [*base_notes, *call.notes]
        if call.log is None and no_log_note and not any("thrown away" in n for n in call.notes):
            call_notes.append(no_log_note)
        if logins and not any(_same_folder(c, call) for c in logins):
            call_notes.append("it logs in to bwdc elsewhere than in this data folder")
        out.append(
            replace(
                job,
                part=part,
                bwdc=call.program,
                appdata=call.appdata,
                log=call.log,
                notes=tuple(_unique(call_notes)),
            )
        )
    return out


def _same_folder(a: BwdcCall, b: BwdcCall) -> bool:
    return a.appdata == b.appdata


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def with_note(f: Finding, note: str) -> Finding:
    return replace(f, notes=(*f.notes, note))


def same_path(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


# --- cron expressions ---------------------------------------------------------------------------


def cron_field(values: set[int] | None, low: int = 0, high: int = -1) -> str:
    """A cron field: ``*``, ``*/n`` when the values step evenly through the whole range, or a
    list (cron.parse canonicalises it)."""
    if values is None:
        return "*"
    ordered = sorted(values)
    if len(ordered) > 1 and high > low and ordered[0] == low:
        step = ordered[1] - ordered[0]
        if ordered == list(range(low, high + 1, step)) and (high - low + 1) % step == 0:
            return f"*/{step}"
    return ",".join(str(v) for v in ordered)


def canonical_cron(text: str) -> str | None:
    from bwdc_tray.errors import BwdcTrayError
    from bwdc_tray.schedule import cron

    try:
        return cron.parse(text).text
    except (BwdcTrayError, ValueError):
        return None
