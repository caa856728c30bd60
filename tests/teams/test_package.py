"""`python -m bot teams-package`: a zip Teams accepts for sideloading.

No official JSON schema for the Teams manifest ships in a PyPI or npm package we can use offline
(Microsoft publishes it only at developer.microsoft.com), so this checks the fields the v1.19
schema requires, their formats and limits, and the icon rules, by hand.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.adapters.teams.package import COMMANDS, PLACEHOLDER_ID, build_package, manifest
from bot.config import Settings
from tests.teams.activities import APP_ID

REQUIRED = {"manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def png_info(data: bytes) -> tuple[int, int, int]:
    """(width, height, colour type) from a PNG's IHDR."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def check_manifest(doc: dict) -> None:
    assert set(doc) >= REQUIRED
    assert GUID.match(doc["id"]) and SEMVER.match(doc["version"])
    assert doc["$schema"].endswith(f"/v{doc['manifestVersion']}/MicrosoftTeams.schema.json")
    assert {"name", "websiteUrl", "privacyUrl", "termsOfUseUrl"} <= set(doc["developer"])
    assert all(doc["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl"))
    assert len(doc["name"]["short"]) <= 30 and len(doc["name"]["full"]) <= 100
    assert len(doc["description"]["short"]) <= 80 and len(doc["description"]["full"]) <= 4000
    assert re.match(r"^#[0-9A-Fa-f]{6}$", doc["accentColor"])
    [bot] = doc["bots"]
    assert bot["botId"] == doc["id"]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    for command_list in bot["commandLists"]:
        assert set(command_list["scopes"]) <= set(bot["scopes"])
        assert len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert len(command["title"]) <= 32 and len(command["description"]) <= 128


def test_package_holds_a_manifest_and_both_icons(settings: Settings) -> None:
    data = build_package(dataclasses.replace(settings, teams_app_id=APP_ID), endpoint="https://bot.example.org/")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        doc = json.loads(archive.read("manifest.json"))
        check_manifest(doc)
        assert doc["id"] == APP_ID and doc["bots"][0]["botId"] == APP_ID
        assert doc["validDomains"] == ["bot.example.org"]
        assert png_info(archive.read(doc["icons"]["color"])) == (192, 192, 6)
        assert png_info(archive.read(doc["icons"]["outline"])) == (32, 32, 6)


def test_command_list_names_the_bots_commands(settings: Settings) -> None:
    commands = manifest(settings)["bots"][0]["commandLists"][0]["commands"]
    assert [c["title"] for c in commands] == [name for name, _ in COMMANDS]
    expected = {"council", "broker", "signup", "deadlines", "peerreview", "digest", "help"}
    assert {c["title"] for c in commands} == expected


def test_outline_icon_is_white_on_transparent() -> None:
    from bot.adapters.teams.package import outline_icon

    raw = outline_icon()
    import zlib

    idat_len = struct.unpack(">I", raw[33:37])[0]
    pixels = zlib.decompress(raw[41 : 41 + idat_len])
    rows = [pixels[i * (1 + 32 * 4) + 1 : (i + 1) * (1 + 32 * 4)] for i in range(32)]
    colours = {bytes(row[x : x + 4]) for row in rows for x in range(0, len(row), 4)}
    assert colours == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}


def test_cli_writes_the_zip(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    result = subprocess.run([sys.executable, "-m", "bot", "teams-package", "--out", str(out)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "TEAMS_APP_ID": APP_ID, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert f"bot id {APP_ID}" in result.stdout
    with zipfile.ZipFile(out) as archive:
        check_manifest(json.loads(archive.read("manifest.json")))


def test_without_an_app_id_the_placeholder_is_used_and_said(settings: Settings) -> None:
    assert manifest(settings)["id"] == PLACEHOLDER_ID


def test_teams_conversations_cli_lists_stored_conversations(db_path: Path, tmp_path: Path) -> None:
    from bot.services.teams_conversations import TeamsConversations
    from storage.db import Database

    db = Database(f"sqlite:///{db_path}")
    TeamsConversations(db).remember("19:abc@thread.tacv2", {"conversation": {"id": "19:abc@thread.tacv2"}},
                                    service_url="https://smba.trafficmanager.net/emea/", conversation_type="channel",
                                    name="Children's services", source="install")
    db.dispose()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{db_path}"}
    result = subprocess.run([sys.executable, "-m", "bot", "teams-conversations"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "19:abc@thread.tacv2  channel   Children's services  [install]" in result.stdout
