"""`python -m bot teams-package`: a zip Teams accepts for sideloading.

The manifest is validated against Microsoft's own JSON schema for its version, copied from the npm
package `@microsoft/app-manifest` (tests/schemas/node/package.json pins it; the copy and its licence
sit in tests/schemas/, so no npm is needed at run time). The icon rules and the limits the schema
leaves to the store are checked by hand.
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

import jsonschema

from bot.adapters.teams.package import COMMANDS, PLACEHOLDER_ID, build_package, manifest
from bot.config import Settings
from tests.teams.activities import APP_ID

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
REQUIRED = {"manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def png_info(data: bytes) -> tuple[int, int, int]:
    """(width, height, colour type) from a PNG's IHDR."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def manifest_schema(version: str) -> dict:
    return json.loads((SCHEMAS / f"teams-manifest.schema.{version}.json").read_text(encoding="utf-8"))


def check_manifest(doc: dict) -> None:
    schema = manifest_schema(doc["manifestVersion"])
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
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


def test_manifest_is_on_a_current_schema_and_supports_shared_and_private_channels(settings: Settings) -> None:
    doc = manifest(dataclasses.replace(settings, teams_app_id=APP_ID))
    major, minor = (int(part) for part in doc["manifestVersion"].split("."))
    assert (major, minor) >= (1, 19)
    assert sorted(doc["supportedChannelTypes"]) == ["privateChannels", "sharedChannels"]
    check_manifest(doc)


def test_the_schema_refuses_what_teams_refuses(settings: Settings) -> None:
    """The bundled schema is a real check: an unknown channel type and a missing bot id fail it."""
    schema = manifest_schema(manifest(settings)["manifestVersion"])
    wrong_channel = {**manifest(settings), "supportedChannelTypes": ["secretChannels"]}
    no_bot_id = manifest(settings)
    del no_bot_id["bots"][0]["botId"]
    for doc in (wrong_channel, no_bot_id):
        assert list(jsonschema.Draft4Validator(schema).iter_errors(doc))


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
                                    name="Children's services", source="install", tenant_id="tenant-0001")
    db.dispose()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{db_path}"}
    result = subprocess.run([sys.executable, "-m", "bot", "teams-conversations"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "19:abc@thread.tacv2  channel   Children's services  [install]  tenant tenant-0001" in result.stdout
