"""Validators for the vendored Slack JSON Schemas in tests/schemas (MIT; licences alongside).

The manifest schema $refs its versioned files by their GitHub URLs; they are served from the
local copies through a `referencing` registry, so validation never touches the network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
MANIFEST_BASE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@cache
def block_kit_validator() -> Draft202012Validator:
    return Draft202012Validator(_load("slack-block-kit.schema.json"))


@cache
def manifest_validator() -> Draft7Validator:
    registry: Registry = Registry().with_resources(
        (MANIFEST_BASE + name, Resource.from_contents(_load("slack-" + name), default_specification=DRAFT7))
        for name in ("manifest.schema.1.0.0.json", "manifest.schema.2.0.0.json")
    )
    return Draft7Validator(_load("slack-manifest.schema.json"), registry=registry)


def block_errors(blocks: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:300]}" for e in block_kit_validator().iter_errors(blocks)]


def blocks_in(payload: dict[str, Any]) -> list[Any]:
    """Every blocks array in a Web API or response_url payload (messages and views)."""
    found = []
    if isinstance(payload.get("blocks"), list):
        found.append(payload["blocks"])
    view = payload.get("view")
    if isinstance(view, str):
        view = json.loads(view)
    if isinstance(view, dict) and isinstance(view.get("blocks"), list):
        found.append(view["blocks"])
    return found
