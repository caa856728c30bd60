"""`python -m bot people list|add|link`: the roster and who may write (admin, broker, viewer).

Runs as the console operator (an admin); every change is recorded in the audit trail.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time: `python -m bot --help` stays fast
    from bot.services import Services


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "List the roster, add people, and link them to Slack or Teams user ids."
    sub = parser.add_subparsers(dest="people_command", required=True)
    sub.add_parser("list", help="everyone on the roster with access and linked chat ids")
    add = sub.add_parser("add", help="add someone to the roster")
    add.add_argument("name", help='full name, e.g. "Jo Bloggs"')
    add.add_argument("--role", required=True, help="lead_broker, associate_broker, central_contact or director")
    add.add_argument("--access", choices=("admin", "broker", "viewer"), help="default: broker for brokers, else viewer")
    add.add_argument("--email", default="")
    add.add_argument("--phone", default="")
    add.add_argument("--region", help="a region this person covers as a broker")
    add.add_argument("--council", help="the council a director (or other person) works for")
    add.add_argument("--title", default="")
    link = sub.add_parser("link", help="tie a roster person to chat identities")
    link.add_argument("name", help="the person's name as on the roster")
    link.add_argument("--slack-user", help="Slack user id, e.g. U0123ABC")
    link.add_argument("--teams-user", help="Teams user id (AAD object id or 29:...)")
    link.add_argument("--teams-tenant", help="the Microsoft 365 tenant id of that Teams user")


def run(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_services

    return run_with(open_services(), args)


def run_with(services: Services, args: argparse.Namespace) -> int:
    """The subcommand against given services (tests pass their own)."""
    from bot.core.errors import PermissionDenied
    from bot.core.message import CONSOLE_USER

    actors = services.actors
    operator = actors.actor_for(CONSOLE_USER)
    try:
        if args.people_command == "list":
            for row in services.roster.people():
                ids = ", ".join(
                    f"{p}:{v}" for p, v in (("slack", row.slack_user_id), ("teams", row.teams_user_id)) if v
                )
                if row.teams_tenant_id:
                    ids += f" (tenant {row.teams_tenant_id})"
                regions = f" [{', '.join(row.regions)}]" if row.regions else ""
                print(f"{row.name} · {row.role} · {row.access}{regions}" + (f" · {ids}" if ids else "")
                      + f" · source: {row.provenance}")
            return 0
        if args.people_command == "add":
            region_id = None
            if args.region:
                region_id = services.directory.resolve_region(args.region).match
                if region_id is None:
                    names = ", ".join(r.name for r in services.directory.regions())
                    print(f"Unknown region {args.region!r}. The regions are: {names}.")
                    return 2
            council_id = None
            if args.council:
                resolution = services.directory.resolve_council(args.council)
                if resolution.match is None:
                    names = ", ".join(c.name for c in services.directory.councils(resolution.candidates))
                    print(f"Unknown council {args.council!r}." + (f" Did you mean {names}?" if names else ""))
                    return 2
                council_id = resolution.match
            row = services.roster.add_person(
                operator, args.name, role=args.role, access=args.access, email=args.email,
                phone=args.phone, region_id=region_id, title=args.title, council_id=council_id,
            )  # fmt: skip
            services.directory.invalidate()
            print(
                f"Added {row.name} ({row.role}, {row.access})"
                + (f", covering {row.regions[0]}" if row.regions else "")
                + "."
            )
            return 0
        row = services.roster.link(operator, args.name, slack_user=args.slack_user, teams_user=args.teams_user,
                                   teams_tenant=args.teams_tenant)
        ids = ", ".join(f"{p} {v}" for p, v in (("Slack", row.slack_user_id), ("Teams", row.teams_user_id)) if v)
        print(f"Linked {row.name} ({row.access}) to {ids}.")
        return 0
    except (ValueError, PermissionDenied) as exc:
        print(str(exc))
        return 2

