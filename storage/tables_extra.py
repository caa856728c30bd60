"""Tables added by later features register here so Alembic's env sees every table.

Each feature module defines its tables in its own file under `storage/`; this module only
imports them.
"""
import storage.audit_tables
import storage.peer_tables
import storage.scheduler_tables
import storage.slack_tables
import storage.teams_tables
import storage.workflow_tables  # noqa: F401
