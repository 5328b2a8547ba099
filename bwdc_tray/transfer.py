"""`export` / `import`: the instance list for fleet deployment, never a secret."""

from __future__ import annotations

import json
import re

from bwdc_tray.config import Config, ConfigStore, config_from_json, find_clash
from bwdc_tray.errors import InvalidInput

FORMAT = "bwdc-tray-export"
# How import_text's lists name the default alert settings (an export carries them, never their
# URLs, which are in the keyring).
DEFAULT_ALERTS = "the default alerts"
SECRET_LIKE = re.compile(r"secret|password|passwd|token|client_?id|api_?key", re.I)


def export_text(cfg: Config) -> str:
    doc = {
        "format": FORMAT,
        "version": 1,
        "instances": {n: i.to_json() for n, i in cfg.instances.items()},
    }
    if cfg.alerts:
        doc["alerts"] = cfg.alerts
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def parse(text: str) -> Config:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the import file is not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(
            f'the import file is not a bwdc-tray export (expected "format": "{FORMAT}")'
        )
    instances = doc.get("instances", {})
    if isinstance(instances, dict):
        for name, entry in instances.items():
            for key in entry if isinstance(entry, dict) else ():
                if SECRET_LIKE.search(str(key)):
                    raise InvalidInput(
                        f"instance {name!r}: the key {key!r} looks like a secret; an export "
                        "never holds secrets (set them with `bwdc-tray secret set`)"
                    )
    from bwdc_tray.alerts.settings import KEY, problems_in

    alerts = doc.get("alerts", {})
    found = [f"alerts: {p}" for p in problems_in(alerts)]
    for name, entry in instances.items() if isinstance(instances, dict) else ():
        if isinstance(entry, dict):
            found += [f"instance {name!r}: alerts: {p}" for p in problems_in(entry.get(KEY))]
    if found:
        raise InvalidInput(f"the import file is invalid, nothing was imported: {found[0]}")
    try:
        return config_from_json({"instances": instances, "alerts": alerts})
    except InvalidInput as exc:
        raise InvalidInput(
            f"the import file is invalid, nothing was imported: {exc.message}"
        ) from exc


def import_text(
    store: ConfigStore, text: str, replace: bool
) -> tuple[list[str], list[str], list[str]]:
    incoming = parse(text)  # everything is validated before anything is written
    added: list[str] = []
    replaced: list[str] = []
    skipped: list[str] = []
    with store.edit() as cfg:
        for name, inst in incoming.instances.items():
            clash = find_clash(cfg, inst)
            if clash is not None:
                raise InvalidInput(f"{name}: {clash}; nothing was imported")
            if name in cfg.instances and not replace:
                skipped.append(name)
                continue
            (replaced if name in cfg.instances else added).append(name)
            cfg.instances[name] = inst
        if incoming.alerts:
            if cfg.alerts and not replace:
                skipped.append(DEFAULT_ALERTS)
            elif cfg.alerts != incoming.alerts:
                (replaced if cfg.alerts else added).append(DEFAULT_ALERTS)
                cfg.alerts = incoming.alerts
    return added, replaced, skipped
