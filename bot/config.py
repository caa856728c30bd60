"""Settings read once from the environment (and an optional `.env` file).

Every setting is documented in `.env.example`; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from dotenv import load_dotenv

DEFAULT_DB_PATH = Path.home() / ".local" / "share" / "broker-bot" / "broker-bot.db"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool = False) -> bool:
    raw = _env(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


def _env_date(name: str) -> date | None:
    raw = _env(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{name} must be a date written YYYY-MM-DD, not {raw!r}") from None


def parse_ladder_months(raw: str) -> tuple[tuple[str, int], ...]:
    """`commissioner_appointed=3,alternative_delivery=12` -> ((key, months), ...)."""
    pairs = []
    for part in raw.split(","):
        if not part.strip():
            continue
        key, sep, months = part.partition("=")
        if not sep or not months.strip().isdigit():
            raise ValueError(f"LADDER_MONTHS entries look like stage_key=MONTHS, not {part.strip()!r}")
        pairs.append((key.strip().lower(), int(months)))
    return tuple(pairs)


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Built by :func:`load_settings`; tests build it directly."""

    database_url: str
    timezone: str = "Europe/London"
    inadequate_improvement_months: int = 6
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = "https://slack.com/api/"
    # Many workspaces (Slack's OAuth flow): all three set turns on /slack/install and /slack/oauth_redirect
    # and each workspace's own token; without them SLACK_BOT_TOKEN serves one workspace.
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_state_secret: str = ""
    port: int = 3000
    max_request_bytes: int = 1024 * 1024  # larger bodies get 413 while streaming, before any parsing
    # Slack requests waiting for (or in) the answer workers; a slash command beyond it is told "busy".
    slack_work_queue: int = 32
    # How long a worker holds a Slack request it claimed; after a crash, others wait this long.
    slack_claim_seconds: int = 30
    admins: frozenset[str] = field(default_factory=frozenset)
    teams_app_id: str = ""
    teams_app_password: str = ""
    teams_tenant_id: str = ""
    teams_allow_anonymous: bool = False
    teams_token_url: str = ""  # override of the Entra token endpoint (tests, proxies); empty = MSAL default
    teams_jwks_url: str = ""  # override of the JWKS used to verify incoming tokens (tests); empty = Microsoft's
    teams_check_service_url: bool = True  # refuse activities whose serviceUrl is not an https Microsoft host
    auto_seed: bool = True
    # Regional sign-up target (SIGNUP_TARGET_DATE, YYYY-MM-DD); None: 31 December of the programme year.
    signup_target_date: date | None = None
    # Intervention ladder: months to the next deadline per stage key (LADDER_MONTHS="commissioner_appointed=3,...").
    ladder_months: tuple[tuple[str, int], ...] = ()
    # Scheduler: crontab expressions in BOT_TIMEZONE; posts move to the next working day.
    digest_cron: str = "0 8 * * MON"
    reminder_cron: str = "0 9 * * MON-FRI"
    send_interval_seconds: int = 30
    catchup_horizon_days: int = 7
    scheduler_enabled: bool = True

    @property
    def slack_oauth(self) -> bool:
        """True when Slack's OAuth flow is configured (many workspaces, one token each)."""
        return bool(self.slack_client_id and self.slack_client_secret and self.slack_state_secret)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def default_database_url() -> str:
    """The embedded SQLite file used when `DATABASE_URL` is unset."""
    return f"sqlite:///{DEFAULT_DB_PATH}"


def load_settings(env_file: str | None = ".env") -> Settings:
    """Read settings from the process environment, after loading `.env` if present.

    Values already in the environment win over the file, so CI and tests stay in control.
    """
    if env_file and Path(env_file).exists():
        load_dotenv(env_file, override=False)
    admins = frozenset(a.strip() for a in _env("BOT_ADMINS").split(",") if a.strip())
    return Settings(
        database_url=_env("DATABASE_URL") or default_database_url(),
        timezone=_env("BOT_TIMEZONE", "Europe/London") or "Europe/London",
        inadequate_improvement_months=_env_int("INADEQUATE_IMPROVEMENT_MONTHS", 6),
        slack_bot_token=_env("SLACK_BOT_TOKEN"),
        slack_signing_secret=_env("SLACK_SIGNING_SECRET"),
        slack_app_token=_env("SLACK_APP_TOKEN"),
        slack_api_url=_env("SLACK_API_URL", "https://slack.com/api/") or "https://slack.com/api/",
        slack_client_id=_env("SLACK_CLIENT_ID"),
        slack_client_secret=_env("SLACK_CLIENT_SECRET"),
        slack_state_secret=_env("SLACK_STATE_SECRET"),
        port=_env_int("PORT", 3000),
        max_request_bytes=_env_int("MAX_REQUEST_BYTES", 1024 * 1024),
        slack_work_queue=_env_int("SLACK_WORK_QUEUE", 32),
        slack_claim_seconds=_env_int("SLACK_CLAIM_SECONDS", 30),
        admins=admins,
        teams_app_id=_env("TEAMS_APP_ID"),
        teams_app_password=_env("TEAMS_APP_PASSWORD"),
        teams_tenant_id=_env("TEAMS_TENANT_ID"),
        teams_allow_anonymous=_env_bool("TEAMS_ALLOW_ANONYMOUS"),
        teams_token_url=_env("TEAMS_TOKEN_URL"),
        teams_jwks_url=_env("TEAMS_JWKS_URL"),
        teams_check_service_url=_env_bool("TEAMS_CHECK_SERVICE_URL", True),
        auto_seed=_env_bool("BOT_AUTO_SEED", True),
        signup_target_date=_env_date("SIGNUP_TARGET_DATE"),
        ladder_months=parse_ladder_months(_env("LADDER_MONTHS")),
        digest_cron=_env("DIGEST_CRON", "0 8 * * MON") or "0 8 * * MON",
        reminder_cron=_env("REMINDER_CRON", "0 9 * * MON-FRI") or "0 9 * * MON-FRI",
        send_interval_seconds=_env_int("SEND_INTERVAL_SECONDS", 30),
        catchup_horizon_days=_env_int("CATCHUP_HORIZON_DAYS", 7),
        scheduler_enabled=_env_bool("SCHEDULER_ENABLED", True),
    )
