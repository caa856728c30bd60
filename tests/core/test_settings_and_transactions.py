"""Workflow settings from the environment, and one transaction per command (nothing half-written)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bot.config import load_settings
from bot.services import Services
from bot.services.audit import AuditTrail
from storage.tables import InterventionEvent, SignupItem


def test_workflow_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNUP_TARGET_DATE", "2027-01-31")
    monkeypatch.setenv("LADDER_MONTHS", "commissioner_appointed=4, alternative_delivery=18")
    settings = load_settings(env_file=None)
    assert settings.signup_target_date == date(2027, 1, 31)
    assert dict(settings.ladder_months) == {"commissioner_appointed": 4, "alternative_delivery": 18}


def test_bad_workflow_settings_are_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNUP_TARGET_DATE", "31/12/2026")
    with pytest.raises(ValueError, match="SIGNUP_TARGET_DATE must be a date written YYYY-MM-DD"):
        load_settings(env_file=None)


def test_defaults_leave_the_ladder_periods_alone(services: Services) -> None:
    periods = {stage.key: months for stage, months in services.escalations.periods()}
    assert periods == {
        "judged_inadequate": 6,
        "improvement_notice": 6,
        "statutory_direction": 6,
        "commissioner_appointed": 3,
        "alternative_delivery": 12,
        "improving": None,
    }


def test_a_failing_audit_write_leaves_no_half_written_change(
    ask,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(AuditTrail, "record", staticmethod(broken))
    assert ask("/signup London dcs agreed").kind == "error"
    assert ask("/escalate Harrow commissioner").kind == "error"
    monkeypatch.undo()
    with services.db.session() as session:
        assert session.exec(select(SignupItem)).all() == []
        stages = session.exec(select(InterventionEvent.stage)).all()
    assert "commissioner_appointed" not in stages
    assert ask("/signup London").entities["agreed"] == 0
