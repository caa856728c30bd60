"""The Teams app package: manifest.json plus colour and outline icons, zipped, ready to sideload.

`python -m bot teams-package [--out FILE]` (bot/cli/teams.py) writes it. The bot id is TEAMS_APP_ID (the Entra app
registration's client id); the command lists mirror our slash commands so Teams suggests them.
Icons are drawn here with a tiny PNG writer (zlib + CRC, standard library only) so the package
needs no image library at run time: a 192x192 colour icon (white "B" on Broker blue) and a 32x32
outline icon (white on transparent), as the Teams store requires.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from bot.config import Settings

MANIFEST_VERSION = "1.24"
MANIFEST_SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
APP_VERSION = "1.0.0"
ACCENT = "#1F4E79"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
DEFAULT_OUT = "broker-bot-teams.zip"

# Command lists shown in the compose box; titles are what users type (with or without "/").
COMMANDS: tuple[tuple[str, str], ...] = (
    ("council", "A council's status card: Ofsted, intervention stage, deadline, broker"),
    ("broker", "Who is the lead broker for a council or region"),
    ("signup", "Regional sign-up: who has agreed, and what is missing"),
    ("deadlines", "Intervention deadlines coming up"),
    ("peerreview", "Safeguarding peer reviews and training"),
    ("digest", "Subscribe this conversation to a region's weekly digest"),
    ("help", "What I can do, with examples"),
)

Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG from a pixel function: signature, IHDR, one zlib IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _in_letter_b(u: float, v: float) -> bool:
    """A blocky capital B in the unit square (u across, v down)."""
    if not (0.28 <= u <= 0.72 and 0.2 <= v <= 0.8):
        return False
    stem = u <= 0.4
    bars = any(abs(v - edge) <= 0.06 for edge in (0.26, 0.5, 0.74))
    corner = u > 0.64 and (v < 0.27 or v > 0.73 or 0.45 <= v <= 0.55)  # rounded-off corners
    bowl = u >= 0.6 and not corner
    return stem or (bars and not corner) or bowl


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def colour_icon(size: int = 192) -> bytes:
    r, g, b = _hex(ACCENT)

    def pixel(x: int, y: int) -> Pixel:
        return (255, 255, 255, 255) if _in_letter_b(x / size, y / size) else (r, g, b, 255)

    return png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    def pixel(x: int, y: int) -> Pixel:
        return (255, 255, 255, 255) if _in_letter_b(x / size, y / size) else (0, 0, 0, 0)

    return png(size, size, pixel)


def manifest(settings: Settings, *, endpoint: str = "") -> dict[str, Any]:
    bot_id = settings.teams_app_id or PLACEHOLDER_ID
    commands = [{"title": name, "description": text} for name, text in COMMANDS]
    domains = [endpoint.split("//", 1)[-1].split("/", 1)[0]] if endpoint else []
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": bot_id,
        "developer": {
            "name": "Broker bot maintainers",
            "websiteUrl": "https://example.org/broker-bot",
            "privacyUrl": "https://example.org/broker-bot/privacy",
            "termsOfUseUrl": "https://example.org/broker-bot/terms",
        },
        "name": {"short": "Broker bot", "full": "Broker bot for sector-led improvement in children's services"},
        "description": {
            "short": "Council status, deadlines, brokers and digests for lead brokers and DCSs.",
            "full": (
                "Ask about any English council's Ofsted judgement, intervention stage and deadline, who the "
                "lead broker is, regional sign-up and peer reviews, in plain English or with commands such as "
                "'council Harrow'. Channels can subscribe to a region's weekly digest and deadline reminders."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": bot_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal", "team", "groupChat"], "commands": commands},
                ],
            }
        ],
        # Councils meet across organisations: shared channels span tenants, private ones hold
        # the few people working an intervention. Standard channels come with the team scope.
        "supportedChannelTypes": ["sharedChannels", "privateChannels"],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": domains,
    }


def build_package(settings: Settings, *, endpoint: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest(settings, endpoint=endpoint), indent=2))
        archive.writestr("color.png", colour_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()
