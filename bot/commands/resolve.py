"""Turning a typed council or region name into one record, or a helpful error reply."""

from __future__ import annotations

from bot.commands.base import CommandContext
from bot.core.format import join_names
from bot.core.reply import Action, Reply, error
from bot.services.values import CouncilInfo, RegionInfo


def council_or_error(
    ctx: CommandContext, text: str, *, command: str = "/council"
) -> CouncilInfo | Reply:
    """The council `text` names, or an error reply: "which one?" or "unknown, did you mean"."""
    directory = ctx.services.directory
    resolution = directory.resolve_council(text)
    if resolution.match is not None:
        return directory.council(resolution.match)
    candidates = [c.name for c in directory.councils(resolution.candidates)]
    if resolution.ambiguous:
        return Reply(
            text=f"More than one council matches \u201c{text}\u201d: did you mean "
            f"{join_names(candidates, 'or')}?",
            kind="question",
            ephemeral=True,
            intent="clarify_council",
            entities={"query": text, "candidates": candidates},
            actions=tuple(Action(label=name, command=f"{command} {name}") for name in candidates),
        )
    suggestion = f" Did you mean {join_names(candidates, 'or')}?" if candidates else ""
    return Reply(
        text=f"I don't know a council called \u201c{text}\u201d.{suggestion}",
        kind="error",
        ephemeral=True,
        intent="unknown_council",
        entities={"query": text, "suggestions": candidates},
        actions=tuple(Action(label=name, command=f"{command} {name}") for name in candidates),
    )


def region_or_none(ctx: CommandContext, text: str) -> RegionInfo | None:
    resolution = ctx.services.directory.resolve_region(text)
    return ctx.services.directory.region(resolution.match) if resolution.match else None


def optional_region(ctx: CommandContext, text: str) -> RegionInfo | Reply | None:
    """No text: None (all of England). Otherwise the region, or an error reply."""
    return region_or_error(ctx, text) if text.strip() else None


def region_or_error(ctx: CommandContext, text: str) -> RegionInfo | Reply:
    directory = ctx.services.directory
    resolution = directory.resolve_region(text)
    if resolution.match is not None:
        return directory.region(resolution.match)
    names = [directory.region(i).name for i in resolution.candidates]
    all_regions = ", ".join(r.name for r in directory.regions())
    suggestion = f" Did you mean {join_names(names, 'or')}?" if names else ""
    return error(
        f"I don't know a region called \u201c{text}\u201d.{suggestion}",
        intent="unknown_region",
        hint=f"The nine regions are: {all_regions}.",
        query=text,
        suggestions=names,
    )
