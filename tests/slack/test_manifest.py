"""Both Slack app manifests validate against Slack's manifest schema and match what the app handles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.commands import command_table
from tests.slack.schema_check import manifest_validator

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = [ROOT / "slack" / "manifest.yml", ROOT / "slack" / "manifest.socket-mode.yml"]


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_is_valid(path: Path) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in manifest_validator().iter_errors(load(path))]
    assert errors == []


def test_schema_check_catches_a_broken_manifest() -> None:
    broken = load(MANIFESTS[0])
    broken["features"]["slash_commands"][0]["command"] = "council"  # must start with "/"
    assert list(manifest_validator().iter_errors(broken))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_declares_what_the_app_handles(path: Path) -> None:
    manifest = load(path)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert {"/council", "/broker", "/brokerbot", "/signup", "/deadlines", "/peerreview", "/digest"} <= commands
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im",
                                                                             "app_home_opened"}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history"} <= scopes
    socket = path.name.endswith("socket-mode.yml")
    assert manifest["settings"]["socket_mode_enabled"] is socket
    urls = {c.get("url") for c in manifest["features"]["slash_commands"]}
    assert urls == ({None} if socket else {"https://YOUR-HOST.example.org/slack/events"})


def test_every_registered_core_command_is_in_the_manifest() -> None:
    commands = {c["command"].lstrip("/") for c in load(MANIFESTS[0])["features"]["slash_commands"]}
    registered = {c.name for c in command_table().values()} - {"help"}  # /brokerbot is help in Slack
    assert registered <= commands
