"""`/digest` (channel subscriptions to weekly digests and reminders) and `/reminder` (the
Acknowledge and Snooze buttons on reminders).

The subscribing channel is the message's conversation, on the presser's platform. Writes need a
lead broker or an admin and are recorded in the audit trail.
"""

from __future__ import annotations

from datetime import timedelta

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import region_or_error
from bot.commands.writes import acting
from bot.core.format import fmt_date, plural
from bot.core.reply import Action, Fact, Reply, Section, error
from bot.domain.schedule_words import describe_cron
from bot.services.digests import DigestBuilder
from bot.services.scheduling import SubscriptionView
from bot.services.values import RegionInfo

CHANNEL_PLATFORMS = ("slack", "teams")
NATIONAL_WORDS = {"national", "england", "all", "everything", "nationally"}


def _scope(ctx: CommandContext, text: str) -> RegionInfo | Reply | None:
    """REGION -> RegionInfo; "national" (or nothing) -> None; unknown -> error reply."""
    text = text.strip()
    if not text or text.lower() in NATIONAL_WORDS:
        return None
    return region_or_error(ctx, text)


def _channel(ctx: CommandContext, intent: str) -> tuple[str, str] | Reply:
    platform = ctx.message.user.platform
    if platform not in CHANNEL_PLATFORMS:
        return error(
            "Subscriptions belong to a Slack channel or a Teams conversation: run /digest there, or use "
            "`python -m bot subscribe --slack-channel ID --region NAME` from a terminal.",
            intent=intent,
        )
    return platform, ctx.message.conversation


def handle_digest(ctx: CommandContext, args: str) -> Reply:
    first, _, rest = args.strip().partition(" ")
    verb = first.lower()
    if verb in {"", "list", "status"}:
        return channel_subscriptions(ctx)
    if verb in {"subscribe", "sub", "follow"}:
        return subscribe(ctx, rest)
    if verb in {"unsubscribe", "unsub", "stop", "unfollow"}:
        return unsubscribe(ctx, rest)
    if verb in {"now", "preview"}:
        return preview(ctx, rest)
    return error(f"I don't know `/digest {first}`.", intent="digest", hint=DIGEST.usage_hint())


def _describe(sub: SubscriptionView) -> str:
    return f"{sub.label} (since {fmt_date(sub.created_at.date())}, by {sub.created_by or 'unknown'})"


def channel_subscriptions(ctx: CommandContext) -> Reply:
    platform, conversation = ctx.message.user.platform, ctx.message.conversation
    subs = ctx.services.scheduling.subscriptions.for_destination(platform, conversation)
    settings = ctx.services.settings
    schedule = Section(
        heading="Schedule",
        facts=(
            Fact("Digest", f"{describe_cron(settings.digest_cron)} ({settings.timezone})"),
            Fact("Reminders", f"{describe_cron(settings.reminder_cron)} ({settings.timezone})"),
        ),
        lines=("Posts go out on working days only; one due on a bank holiday goes out the next working day.",),
    )
    if not subs:
        return Reply(
            text="This channel has no digest subscriptions. Subscribe with `/digest subscribe REGION` or "
            "`/digest subscribe national`.",
            title="Digest subscriptions",
            sections=(schedule,),
            ephemeral=True,
            intent="digest_list",
            entities={"subscriptions": []},
        )
    return Reply(
        text=f"This channel gets weekly digests and deadline reminders for {', '.join(s.label for s in subs)}.",
        title="Digest subscriptions",
        sections=(Section(lines=tuple(_describe(s) for s in subs)), schedule),
        actions=tuple(
            Action(f"Preview {s.region.name if s.region else 'national'}",
                   f"/digest now {s.region.name if s.region else 'national'}")
            for s in subs[:3]
        ),
        ephemeral=True,
        intent="digest_list",
        entities={"subscriptions": [s.scope for s in subs]},
    )


def subscribe(ctx: CommandContext, text: str) -> Reply:
    scope = _scope(ctx, text)
    if isinstance(scope, Reply):
        return scope
    channel = _channel(ctx, "digest_subscribe")
    if isinstance(channel, Reply):
        return channel
    actor = acting(ctx)
    ctx.services.actors.require_writer(actor, "subscribe channels to digests")
    workspace = ctx.message.user.workspace  # whose token posts there (Slack team, Teams tenant)
    problem = ctx.services.channel_access.problem(*channel, workspace=workspace)
    if problem is not None:
        return error(f"Not subscribed: {problem}", intent="digest_subscribe", reason="cannot_post")
    sub = ctx.services.scheduling.subscriptions.subscribe(actor, channel[0], channel[1], scope, workspace=workspace)
    what = scope.name if scope else "all of England"
    return Reply(
        text=f"Subscribed this channel to {what}: a weekly digest and reminders of escalation deadlines, "
        f"peer reviews and the sign-up target, on working days.",
        title="Subscribed",
        facts=(Fact("Scope", sub.label), Fact("Digest", describe_cron(ctx.services.settings.digest_cron)),
               Fact("Reminders", describe_cron(ctx.services.settings.reminder_cron))),
        actions=(Action("Preview the digest", f"/digest now {scope.name if scope else 'national'}", style="primary"),),
        kind="confirmation",
        intent="digest_subscribe",
        entities={"region": scope.name if scope else None, "scope": sub.scope},
    )


def unsubscribe(ctx: CommandContext, text: str) -> Reply:
    channel = _channel(ctx, "digest_unsubscribe")
    if isinstance(channel, Reply):
        return channel
    subs = ctx.services.scheduling.subscriptions.for_destination(*channel)
    if not text.strip():
        if len(subs) != 1:
            names = ", ".join(s.region.name if s.region else "national" for s in subs) or "none"
            return error(
                "Which subscription? Say `/digest unsubscribe REGION` or `/digest unsubscribe national`.",
                intent="digest_unsubscribe", hint=f"This channel's subscriptions: {names}.",
            )
        scope: RegionInfo | Reply | None = subs[0].region
    else:
        scope = _scope(ctx, text)
    if isinstance(scope, Reply):
        return scope
    actor = acting(ctx)
    ctx.services.actors.require_writer(actor, "unsubscribe channels from digests")
    cancelled = ctx.services.scheduling.subscriptions.unsubscribe(actor, channel[0], channel[1], scope)
    what = scope.name if scope else "national"
    extra = f" {plural(cancelled, 'pending notification')} cancelled." if cancelled else ""
    return Reply(
        text=f"Unsubscribed this channel from {what} digests and reminders.{extra}",
        kind="confirmation",
        intent="digest_unsubscribe",
        entities={"region": scope.name if scope else None, "cancelled": cancelled},
    )


def preview(ctx: CommandContext, text: str) -> Reply:
    scope: RegionInfo | Reply | None
    if text.strip():
        scope = _scope(ctx, text)
    else:
        subs = ctx.services.scheduling.subscriptions.for_destination(
            ctx.message.user.platform, ctx.message.conversation
        )
        scope = subs[0].region if len(subs) == 1 else None
    if isinstance(scope, Reply):
        return scope
    builder = DigestBuilder(ctx.services, ctx.today)
    since = ctx.today - timedelta(days=7)
    reply = builder.region(scope, since) if scope else builder.national(since)
    return Reply(
        text=reply.text,
        title=f"Preview: {reply.title}",
        facts=reply.facts,
        sections=reply.sections,
        actions=reply.actions,
        ephemeral=True,
        intent="digest_preview",
        entities=reply.entities,
        footer="Only you can see this preview.",
    )


DIGEST = Command(
    name="digest",
    summary="Subscribe this channel to a region's (or England's) weekly digest and deadline reminders.",
    usage=("/digest", "/digest subscribe [REGION | national]", "/digest unsubscribe [REGION | national]",
           "/digest now [REGION]"),
    examples=("/digest subscribe North West", "/digest subscribe national", "/digest now London"),
    handler=handle_digest,
    writes=True,
)
