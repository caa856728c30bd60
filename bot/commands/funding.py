"""`/funding [POT] [LUMP_SUM]`: the regional sector-led improvement pot split as in bulletin 7 (a
flat lump sum per region plus a variable sum 50% by number of councils and 50% by population aged
0-19), as a table that adds up to the pot to the penny."""

from __future__ import annotations

from bot.commands.base import Command, CommandContext
from bot.core.reply import Fact, Reply, Section, error
from bot.domain.funding import (
    DEFAULT_LUMP_SUM_PENNIES,
    DEFAULT_POT_PENNIES,
    FundingError,
    FundingTable,
    fmt_money,
    parse_money,
)

UNIT_WORDS = {"m", "k", "bn", "million", "thousand"}


def amounts(args: str) -> list[str]:
    """`£1.5 million £100k` -> ["£1.5million", "£100k"]; "pot"/"lump" labels are ignored."""
    tokens: list[str] = []
    for word in args.replace("=", " ").split():
        lowered = word.lower().strip(",")
        if lowered in {"pot", "lump", "sum", "lump-sum", "per", "region", "of", "with", "and"}:
            continue
        if lowered in UNIT_WORDS and tokens:
            tokens[-1] += lowered
        else:
            tokens.append(word)
    return tokens


def handle_funding(ctx: CommandContext, args: str) -> Reply:
    tokens = amounts(args)
    if len(tokens) > 2:
        return error("Give at most two amounts: the pot, then the lump sum per region.",
                     intent="funding_error", hint=FUNDING.usage_hint())
    try:
        values = [parse_money(t) for t in tokens]
        pot = values[0] if values else DEFAULT_POT_PENNIES
        lump = values[1] if len(values) > 1 else DEFAULT_LUMP_SUM_PENNIES
        table, mid_year = ctx.services.funding.table(pot, lump)
    except FundingError as exc:
        return error(str(exc), intent="funding_error", hint=FUNDING.usage_hint())
    return funding_reply(table, mid_year)


def funding_reply(table: FundingTable, mid_year: int) -> Reply:
    councils = sum(r.councils for r in table.rows)
    population = sum(r.population for r in table.rows)
    largest = max(table.rows, key=lambda r: r.total)
    text = (
        f"{fmt_money(table.pot)} split between {len(table.rows)} regions: a lump sum of "
        f"{fmt_money(table.lump_sum)} each ({fmt_money(table.lump_sum * len(table.rows))}) plus "
        f"{fmt_money(table.variable)} shared 50% by number of councils ({councils}) and 50% by population "
        f"aged 0-19 ({population:,}, ONS mid-{mid_year}). Largest share: {largest.name}, "
        f"{fmt_money(largest.total, pence=True)}."
    )
    lines = tuple(
        f"{r.name}: {fmt_money(r.total, pence=True)} = {fmt_money(r.lump_sum, pence=True)} lump sum + "
        f"{fmt_money(r.by_councils, pence=True)} for {r.councils} councils + "
        f"{fmt_money(r.by_population, pence=True)} for {r.population:,} aged 0-19"
        for r in table.rows
    )
    return Reply(
        text=text,
        title=f"Regional funding: {fmt_money(table.pot, pence=True)}",
        facts=(*(Fact(r.name, fmt_money(r.total, pence=True)) for r in table.rows),
               Fact("Total", fmt_money(table.total, pence=True))),
        sections=(Section(heading="How each share is made up", lines=lines),),
        footer="Bulletin 7: a flat lump sum per region plus a variable sum, 50% by number of local "
        "authorities and 50% by population aged 0-19. Pennies reconciled by largest remainder.",
        intent="funding",
        entities={
            "pot_pennies": table.pot,
            "lump_sum_pennies": table.lump_sum,
            "total_pennies": table.total,
            "ons_mid_year": mid_year,
            "regions": {r.name: {"total_pennies": r.total, "councils": r.councils, "population_0_19": r.population,
                                 "lump_sum_pennies": r.lump_sum, "by_councils_pennies": r.by_councils,
                                 "by_population_pennies": r.by_population} for r in table.rows},
        },
    )


FUNDING = Command(
    name="funding",
    summary="Split the regional pot: lump sum per region plus 50% by councils, 50% by population aged 0-19.",
    usage=("/funding [POT] [LUMP_SUM]",),
    examples=("/funding", "/funding £2.25m £100k", "/funding 3000000 150000"),
    handler=handle_funding,
)
