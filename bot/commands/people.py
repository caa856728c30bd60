"""`/people` (also `/brokerbot people`): the roster, and its administration from chat.

Anyone may list the roster or look someone up; changes are for admins (`BOT_ADMINS` or the admin
role) and are audited, so `/undo` takes the last one back. What is hard to take back (unlinking,
lowering someone's access, removing them) is asked about first, with a Confirm button.

A person is named as on the roster; the words after the name are the value, or put a comma after
the name. A chat account is named by mentioning it (`@someone` in Slack or Teams); an email links
its owner the next time they write.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import council_or_error
from bot.commands.writes import CONFIRM_FLAG, UNDO_ACTION, acting, strip_flag
from bot.core.errors import NeedsConfirmation
from bot.core.reply import Reply, Section, error
from bot.services.roster import PersonRow
from bot.services.roster_edits import CONTACT_FIELDS, EMAIL, BadInput, Change

MENTION = re.compile(r"^<?@([A-Za-z0-9:_.\-]+)>?$")
# What a real mention carries: a Slack member id, or a Teams Bot Framework id (29:...) or Entra
# object id (a GUID). Anything else after "@" is a name typed by hand, which names nobody for sure.
ACCOUNT_IDS = {
    "slack": re.compile(r"[UW][A-Z0-9]{2,}"),
    "teams": re.compile(r"29:[A-Za-z0-9_\-]+|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"),
}
PLATFORMS = ("slack", "teams")


def handle_people(ctx: CommandContext, args: str) -> Reply:
    args, confirmed = strip_flag(args)
    verb, _, rest = args.strip().partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb in {"", "list"}:
        return roster_reply(ctx)
    handler = VERBS.get(verb)
    if handler is None:
        return show_person(ctx, args.strip())
    if not rest:
        return error(f"/people {verb}: who?", intent="people", hint=PEOPLE.usage_hint())
    try:
        return handler(ctx, rest, confirmed)
    except BadInput as refusal:
        return error(str(refusal), intent="people", hint=PEOPLE.usage_hint())
    except NeedsConfirmation as question:
        repeat = f"/people {verb} {rest}"
        raise NeedsConfirmation(str(question), concern=question.concern, title="Please confirm",
                                confirm_command=f"{repeat} {CONFIRM_FLAG}", cancel_command="/people") from question


def roster_reply(ctx: CommandContext) -> Reply:
    rows = ctx.services.roster.people()
    return Reply(
        text=f"{len(rows)} people on the roster. Admins change it with /people add, link, role... (see /help people).",
        title="The roster",
        sections=tuple(Section(heading=row.name, lines=person_lines(row)) for row in rows),
        intent="people",
        entities={"count": len(rows)},
    )


def person_lines(row: PersonRow) -> tuple[str, ...]:
    what = row.role.replace("_", " ") + f" · {row.access}"
    if row.regions:
        what += f" · covers {', '.join(row.regions)}"
    if row.council:
        what += f" · {row.council}"
    lines = [what]
    if row.title:
        lines.append(row.title)
    contact = ", ".join(v for v in (row.email, row.phone) if v)
    if contact:
        lines.append(contact)
    ids = [f"Slack {row.slack_user_id}"] if row.slack_user_id else []
    if row.teams_user_id:
        ids.append(f"Teams {row.teams_user_id}" + (f" (tenant {row.teams_tenant_id})" if row.teams_tenant_id else ""))
    lines.append("Linked: " + ", ".join(ids) if ids else "Not linked to a chat account")
    lines.append(f"Source: {row.provenance}")
    return tuple(lines)


def show_person(ctx: CommandContext, name: str) -> Reply:
    person, _rest = ctx.services.roster_edits.split_name(name)
    row = next(r for r in ctx.services.roster.people() if r.name == person)
    return Reply(text=f"{row.name}: {person_lines(row)[0]}.", title=row.name,
                 sections=(Section(lines=person_lines(row)),), intent="people", entities={"person": row.name})


def done(ctx: CommandContext, change: Change, extra: str = "") -> Reply:
    ctx.services.directory.invalidate()
    return Reply(text=f"{change.summary}.{extra}", kind="confirmation", actions=(UNDO_ACTION,), intent="people",
                 entities={"person": change.person})


def link(ctx: CommandContext, rest: str, _confirmed: bool) -> Reply:
    name, target = ctx.services.roster_edits.split_name(rest)
    target = target.strip()
    user = ctx.message.user
    mention = MENTION.match(target)
    if EMAIL.fullmatch(target):
        change = ctx.services.roster_edits.set_contact(acting(ctx), name, "email", target)
        return done(ctx, change, f" {name} is linked when they next write from a Slack or Teams account with "
                                 "that email.")
    if mention is None or user.platform not in PLATFORMS:
        raise BadInput("Mention their chat account (`@someone`) in Slack or Teams, or give their email.")
    if not ACCOUNT_IDS[user.platform].fullmatch(mention.group(1)):
        raise BadInput(f"“{target}” looks typed rather than mentioned: pick them from the @ list so I get their "
                       "account, not just a name, or give their email.")
    change = ctx.services.roster_edits.link(acting(ctx), name, user.platform, mention.group(1), user.workspace)
    return done(ctx, change)


def unlink(ctx: CommandContext, rest: str, confirmed: bool) -> Reply:
    name, which = ctx.services.roster_edits.split_name(rest)
    platform = which.strip().lower() or None
    if platform is not None and platform not in PLATFORMS:
        raise BadInput("Say which account to unlink: slack or teams (or neither, for both).")
    return done(ctx, ctx.services.roster_edits.unlink(acting(ctx), name, platform, confirmed=confirmed))


def role(ctx: CommandContext, rest: str, confirmed: bool) -> Reply:
    name, value = ctx.services.roster_edits.split_name(rest)
    return done(ctx, ctx.services.roster_edits.set_role(acting(ctx), name, value, confirmed=confirmed))


def access(ctx: CommandContext, rest: str, confirmed: bool) -> Reply:
    name, value = ctx.services.roster_edits.split_name(rest)
    return done(ctx, ctx.services.roster_edits.set_access(acting(ctx), name, value, confirmed=confirmed))


def council(ctx: CommandContext, rest: str, _confirmed: bool) -> Reply:
    name, value = ctx.services.roster_edits.split_name(rest)
    if value.strip().lower() in {"", "none"}:
        return done(ctx, ctx.services.roster_edits.set_council(acting(ctx), name, None))
    found = council_or_error(ctx, value.strip(), command=f"/people council {name},")
    if isinstance(found, Reply):
        return found
    return done(ctx, ctx.services.roster_edits.set_council(acting(ctx), name, found.id))


def contact_setter(field: str) -> Callable[[CommandContext, str, bool], Reply]:
    def set_field(ctx: CommandContext, rest: str, _confirmed: bool) -> Reply:
        name, value = ctx.services.roster_edits.split_name(rest)
        return done(ctx, ctx.services.roster_edits.set_contact(acting(ctx), name, field, value))

    return set_field


def remove(ctx: CommandContext, rest: str, confirmed: bool) -> Reply:
    name, _rest = ctx.services.roster_edits.split_name(rest)
    return done(ctx, ctx.services.roster_edits.remove(acting(ctx), name, confirmed=confirmed))


def add(ctx: CommandContext, rest: str, _confirmed: bool) -> Reply:
    """`/people add NAME, ROLE[, region R][, council C][, email E][, phone P][, title T][, access A]`."""
    actor = acting(ctx)
    ctx.services.actors.require_admin(actor, "add people to the roster")
    name, *fields = [part.strip() for part in rest.split(",")]
    if not fields:
        raise BadInput("Give their role after a comma: `/people add Jo Bloggs, director, council Harrow`.")
    role_text, *options = fields
    values: dict[str, str] = {}
    for option in options:
        key, _, value = option.partition(" ")
        key = key.lower()
        if key not in {"region", "council", "access", *CONTACT_FIELDS} or not value.strip():
            raise BadInput(f"I don't understand “{option}”: use region, council, email, phone, title or access, "
                           "each followed by its value.")
        values[key] = value.strip()
    region_id = None
    if "region" in values:
        region_id = ctx.services.directory.resolve_region(values["region"]).match
        if region_id is None:
            raise BadInput(f"I don't know the region “{values['region']}”.")
    council_id = None
    if "council" in values:
        found = council_or_error(ctx, values["council"], command="/people add")
        if isinstance(found, Reply):
            return found
        council_id = found.id
    if values.get("email") and not EMAIL.fullmatch(values["email"]):
        raise BadInput(f"“{values['email']}” is not an email address (name@example.org).")
    try:
        row = ctx.services.roster.add_person(
            actor, name, role=role_text, access=values.get("access"), email=values.get("email", ""),
            phone=values.get("phone", ""), region_id=region_id, title=values.get("title", ""), council_id=council_id,
        )  # fmt: skip
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    where = f", covering {', '.join(row.regions)}" if row.regions else (f", {row.council}" if row.council else "")
    hint = " They are linked when they first write from an account with that email." if row.email else ""
    return done(ctx, Change(row.name, f"Added {row.name} ({row.role.replace('_', ' ')}, {row.access}){where}"), hint)


VERBS = {
    "add": add, "link": link, "unlink": unlink, "role": role, "access": access, "council": council,
    "email": contact_setter("email"), "phone": contact_setter("phone"), "title": contact_setter("title"),
    "remove": remove,
}  # fmt: skip

PEOPLE = Command(
    name="people",
    summary="The roster; admins add people, link chat accounts, set roles, councils and contacts.",
    usage=(
        "/people [list]",
        "/people NAME",
        "/people add NAME, ROLE[, region R][, council C][, email E][, phone P][, title T]",
        "/people link NAME @someone|EMAIL",
        "/people unlink NAME [slack|teams]",
        "/people role NAME ROLE",
        "/people access NAME admin|broker|viewer",
        "/people council NAME COUNCIL",
        "/people email|phone|title NAME VALUE",
        "/people remove NAME",
    ),
    examples=(
        "/people link Paul Curran @paul",
        "/people add Jo Bloggs, director, council Harrow, email jo.bloggs@harrow.gov.uk",
        "/people role Jo Bloggs associate broker",
    ),
    handler=handle_people,
    writes=True,
)
