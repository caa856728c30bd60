"""Both Slack app manifests validate against Slack's manifest schema and match what the app handles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.commands import command_table
from bot.router import unwrap_umbrella
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


# Every Slack Web API method the code calls -> the bot scopes it needs (None: no scope of its own).
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "chat_postMessage": frozenset({"chat:write"}),
    "chat_update": frozenset({"chat:write"}),
    "conversations_info": frozenset({"channels:read", "groups:read"}),  # public and private channels
    "conversations_join": frozenset({"channels:join"}),
    "views_open": frozenset(),
    "views_publish": frozenset(),
    "users_info": frozenset({"users:read", "users:read.email"}),  # the email of someone not yet linked
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history", "app_home_opened": None,
                "app_uninstalled": None, "tokens_revoked": None}
SLACK_METHOD = re.compile(r"\.((?:chat|conversations|views|users|im|reactions|files|pins|team|auth)_\w+)\(")


def methods_called() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        found |= set(SLACK_METHOD.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_scope_table_covers_every_slack_method_the_code_calls() -> None:
    called = methods_called()
    assert {"chat_postMessage", "chat_update", "conversations_info", "conversations_join"} <= called
    assert called <= set(METHOD_SCOPES), sorted(called - set(METHOD_SCOPES))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_requests_only_the_scopes_the_code_uses(path: Path) -> None:
    manifest = load(path)
    needed = {"commands"} | {scope for method in methods_called() for scope in METHOD_SCOPES[method]}
    needed |= {EVENT_SCOPES[e] for e in manifest["settings"]["event_subscriptions"]["bot_events"]} - {None}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_declares_what_the_app_handles(path: Path) -> None:
    manifest = load(path)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    # One command with subcommands and two short aliases: nothing generic (/undo, /audit, /signup)
    # is claimed in a workspace other apps share.
    assert commands == {"/brokerbot", "/council", "/broker"}
    socket = path.name.endswith("socket-mode.yml")
    # The HTTP app can be installed in many workspaces (the OAuth flow), and hears when one uninstalls it.
    uninstalls = set() if socket else {"app_uninstalled", "tokens_revoked"}
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im",
                                                                             "app_home_opened"} | uninstalls
    if not socket:
        assert manifest["oauth_config"]["redirect_urls"] == ["https://YOUR-HOST.example.org/slack/oauth_redirect"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is socket
    urls = {c.get("url") for c in manifest["features"]["slash_commands"]}
    assert urls == ({None} if socket else {"https://YOUR-HOST.example.org/slack/events"})


def test_every_registered_command_is_reachable_under_brokerbot() -> None:
    for name in {c.name for c in command_table().values()}:
        assert unwrap_umbrella(f"/brokerbot {name} North West") == f"/{name} North West"
    assert unwrap_umbrella("/brokerbot") == "/help"
    assert unwrap_umbrella("/brokerbot how is Harrow doing?") == "how is Harrow doing?"
    assert unwrap_umbrella("/council Harrow") is None
