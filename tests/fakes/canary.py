"""Look for a canary secret everywhere it must not be: files, texts, argv and environments.

A writer may not copy a secret verbatim: it may JSON- or XML-escape it, URL-encode it, store it
as UTF-16 (Windows), base64 or hex, or show only part of it ("canary-Zq9x…"). :func:`forms`
lists all of these, and :func:`assert_no_canary` names the file (or text), the offset and the
form of every hit.
"""

from __future__ import annotations

import base64
import html
import json
import os
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

MIN_PART = 8  # shorter pieces of a secret (a line of a PEM, a fragment) would match by chance


def _base64_cores(raw: bytes) -> dict[str, bytes]:
    """The characters of base64(raw) that do not depend on the bytes around ``raw``, for each
    of the three alignments ``raw`` can have inside a longer encoded blob."""
    cores: dict[str, bytes] = {}
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = -(-shift * 8 // 6)  # ceil: the characters that hold a bit of the padding bytes
        stop = (shift + len(raw)) * 8 // 6
        core = encoded[start:stop]
        cores[f"base64 (alignment {shift})"] = core
        cores[f"base64url (alignment {shift})"] = core.translate(bytes.maketrans(b"+/", b"-_"))
    return cores


def forms(secret: str) -> dict[str, bytes]:
    """Every byte string that would betray ``secret``, by a name for the form."""
    raw = secret.encode("utf-8")
    found: dict[str, bytes] = {
        "utf-8": raw,
        "utf-16-le": secret.encode("utf-16-le"),
        "utf-16-be": secret.encode("utf-16-be"),
        "json-escaped": json.dumps(secret)[1:-1].encode("ascii"),
        "json-escaped (utf-8)": json.dumps(secret, ensure_ascii=False)[1:-1].encode("utf-8"),
        "xml-escaped": html.escape(secret).encode("utf-8"),
        "url-encoded": urllib.parse.quote(secret, safe="").encode("ascii"),
        "url-encoded (plus)": urllib.parse.quote_plus(secret).encode("ascii"),
        "hex": raw.hex().encode("ascii"),
        "HEX": raw.hex().upper().encode("ascii"),
        **_base64_cores(raw),
    }
    # Part of it: a truncated or masked display, or one line of a multi-line key.
    if len(secret) >= 2 * MIN_PART:
        quarter = len(secret) // 4
        found["fragment"] = secret[quarter : quarter + max(MIN_PART, len(secret) // 2)].encode()
    lines = [ln.strip() for ln in secret.splitlines()]
    if len(lines) > 1:
        for number, line in enumerate(lines, 1):
            # A PEM's armour lines ("-----BEGIN PRIVATE KEY-----") are in every PEM: no secret.
            if len(line) >= MIN_PART and not line.startswith("-----"):
                found[f"line {number}"] = line.encode("utf-8")
    unique: dict[bytes, str] = {}
    for name, value in found.items():
        unique.setdefault(value, name)
    return {name: value for value, name in unique.items()}


@dataclass(frozen=True)
class Hit:
    where: str
    label: str  # which secret
    form: str
    offset: int
    context: bytes

    def __str__(self) -> str:
        return (
            f"{self.where}, offset {self.offset}: the {self.label} ({self.form}) in "
            f"...{self.context!r}..."
        )


def find(data: bytes, secrets: Mapping[str, str], where: str) -> list[Hit]:
    hits: list[Hit] = []
    for label, secret in secrets.items():
        if not secret:
            continue
        covered: list[tuple[int, int]] = []  # a fragment inside a whole match is one hit
        for form, needle in forms(secret).items():
            start = data.find(needle)
            while start >= 0:
                stop = start + len(needle)
                if not any(a <= start and stop <= b for a, b in covered):
                    covered.append((start, stop))
                    context = data[max(0, start - 40) : stop + 40]
                    hits.append(Hit(where, label, form, start, context))
                start = data.find(needle, start + 1)
    return hits


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogateescape")


def files_under(roots: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for folder, _dirs, names in os.walk(root):
            found += [Path(folder, n) for n in names if not Path(folder, n).is_symlink()]
    return sorted(set(found))


def scan(
    paths: Iterable[Path] = (),
    texts: Mapping[str, str | bytes] | None = None,
    *,
    secrets: Mapping[str, str],
    allow: Callable[[Path], bool] = lambda _p: False,
) -> tuple[list[Hit], int]:
    """Hits in every file under ``paths`` (but those ``allow`` accepts) and in ``texts``;
    also how many files were read."""
    hits: list[Hit] = []
    read = 0
    for path in files_under(paths):
        if allow(path):
            continue
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):  # a temp file renamed meanwhile
            continue
        read += 1
        hits += find(data, secrets, str(path))
    for where, text in (texts or {}).items():
        hits += find(_as_bytes(text), secrets, where)
    return hits, read


def assert_no_canary(
    paths: Iterable[Path] = (),
    texts: Mapping[str, str | bytes] | None = None,
    *,
    secrets: Mapping[str, str],
    allow: Callable[[Path], bool] = lambda _p: False,
) -> int:
    """Fail, naming each place, if a secret is found; returns how many files were read."""
    hits, read = scan(paths, texts, secrets=secrets, allow=allow)
    if hits:
        shown = "\n  ".join(str(h) for h in hits[:15])
        more = f"\n  … and {len(hits) - 15} more" if len(hits) > 15 else ""
        raise AssertionError(f"secret found in {len(hits)} place(s):\n  {shown}{more}")
    return read
