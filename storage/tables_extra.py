"""Tables added by later features register here so Alembic's env sees every table.

Each feature module defines its tables in its own file under `storage/`; this module only
imports them.
"""
import storage.audit_tables  # noqa: F401
import storage.peer_tables  # noqa: F401
import storage.scheduler_tables  # noqa: F401
import storage.slack_tables  # noqa: F401
import storage.teams_tables  # noqa: F401
import storage.workflow_tables  # noqa: F401
