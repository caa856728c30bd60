"""Plain-text rendering of a reply, for the console, `ask` and notification fallbacks."""

from __future__ import annotations

from bot.core.reply import Reply

BOLD = "\033[1m"
DIM = "\033[2m"
RED = "\033[31m"
CYAN = "\033[36m"
RESET = "\033[0m"


def render_text(reply: Reply, *, colour: bool = False) -> str:
    """The whole reply as readable lines: answer first, then facts, sections and buttons."""

    def style(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    lines: list[str] = []
    if reply.title:
        lines.append(style(reply.title, BOLD + CYAN))
    lines.append(style(reply.text, RED) if reply.kind == "error" else reply.text)
    if reply.facts:
        width = max(len(f.label) for f in reply.facts)
        lines.append("")
        lines.extend(f"  {style(f.label.ljust(width), BOLD)}  {f.value}" for f in reply.facts)
    for section in reply.sections:
        lines.append("")
        if section.heading:
            lines.append(style(section.heading, BOLD))
        if section.facts:
            width = max(len(f.label) for f in section.facts)
            lines.extend(f"  {f.label.ljust(width)}  {f.value}" for f in section.facts)
        lines.extend(f"  {line}" for line in section.lines if line)
    if reply.actions:
        lines.append("")
        lines.append(style("Next: " + " · ".join(f"{a.label} ({a.command})" for a in reply.actions), DIM))
    if reply.footer:
        lines.append(style(reply.footer, DIM))
    return "\n".join(lines)
