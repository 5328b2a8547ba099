"""Reading bwdc's data.json in both layouts, never writing it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwdc_tray import datajson
from tests.conftest import shared_or_skip

FLAT = {
    "stateVersion": 8,
    "installedVersion": "2026.6.1",
    "environmentUrls": {"base": "https://vault.example.com", "api": None},
    "organizationId": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d",
    "directoryType": 1,
    "lastUserSync": "2026-07-01T09:15:02.123Z",
    "lastGroupSync": "2026-07-01T09:15:02.123Z",
}


def test_flat_layout(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(json.dumps(FLAT))
    info = datajson.read(tmp_path)
    assert info.layout == "flat"
    assert info.directory_name == "Entra ID"
    assert info.server == "https://vault.example.com"
    assert info.organization_id == FLAT["organizationId"]
    assert info.last_user_sync is not None and info.last_user_sync.year == 2026
    assert info.installed_version == "2026.6.1"


def test_account_layout_from_the_real_capture(tmp_path: Path) -> None:
    sample = shared_or_skip("fixtures", "bwdc-captures", "data.json")
    (tmp_path / "data.json").write_bytes(sample.read_bytes())
    info = datajson.read(tmp_path)
    assert info.layout == "account"
    assert info.directory_name == "LDAP / Active Directory"
    assert info.server == "http://127.0.0.1:8087"
    assert info.organization_id == "3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"
    assert info.last_group_sync is not None


def test_us_cloud_when_no_server(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(json.dumps({**FLAT, "environmentUrls": {"base": None}}))
    assert datajson.read(tmp_path).server == datajson.US_CLOUD


@pytest.mark.parametrize(
    ("content", "layout"),
    [
        (None, "missing"),
        (b"{}", "empty"),
        (b"[1,2]", "corrupt"),
        (b"\xff\xfe{", "corrupt"),
        (b'{"global": 1}', "account"),
    ],
)
def test_missing_and_corrupt(tmp_path: Path, content: bytes | None, layout: str) -> None:
    if content is not None:
        (tmp_path / "data.json").write_bytes(content)
    info = datajson.read(tmp_path)
    assert info.layout == layout
    if layout != "account":
        assert info.problem


def test_deeply_nested_data_json_is_corrupt_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text("[" * 100_000 + "]" * 100_000)
    info = datajson.read(tmp_path)
    assert info.layout == "corrupt" and info.problem


def test_a_migrated_file_is_read_as_flat_and_its_old_clear_secret_is_found(
    tmp_path: Path,
) -> None:
    """bwdc 2026.6 migrates the account layout in place and leaves the old keys: the new ones
    tell the truth, and the old API secret is still there in clear."""
    org = "3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"
    migrated = {
        **FLAT,
        "global": {"stateVersion": 3, "installedVersion": "2026.4.0"},
        "authenticatedAccounts": [org],
        "activeUserId": org,
        org: {
            "keys": {"apiKeyClientSecret": "old-clear-secret"},
            "directorySettings": {"organizationId": org, "directoryType": 0},
        },
    }
    (tmp_path / "data.json").write_text(json.dumps(migrated))
    info = datajson.read(tmp_path)
    assert info.layout == "flat" and info.directory_name == "Entra ID"
    assert info.installed_version == "2026.6.1"
    assert info.stale_secret == f"{org}.keys.apiKeyClientSecret"
    assert "old-clear-secret" not in repr(info)

    migrated[org]["keys"]["apiKeyClientSecret"] = "[STORED SECURELY]"
    (tmp_path / "data.json").write_text(json.dumps(migrated))
    assert datajson.read(tmp_path).stale_secret is None
