"""`python -m bot subscribe|unsubscribe|tick|outbox` on the configured database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.fakes.slack_api import FakeSlackApi


@pytest.fixture
def env(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_path}")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    return db_path


def test_subscribe_tick_outbox_and_unsubscribe(env: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["subscribe", "--slack-channel", "C_NW", "--region", "the North West"]) == 0
    assert "Subscribed slack:C_NW to North West" in capsys.readouterr().out
    assert main(["subscribe", "--slack-channel", "C_NW", "--region", "NW"]) == 0
    assert "already subscribed" in capsys.readouterr().out
    assert main(["subscribe", "--teams-conversation", "19:abc@thread.tacv2", "--national"]) == 0
    capsys.readouterr()
    with FakeSlackApi() as api:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", api.url)
        # Subscriptions start now (real time), so tick a week ahead: the digest and reminders fall due.
        assert main(["tick", "--as-of", "2027-01-11T12:00"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Tick at 2027-01-11 12:00 Europe/London: 2 subscriptions")
        posted = api.calls_for("chat.postMessage", ok_only=True)
    assert posted and {c.payload["channel"] for c in posted} == {"C_NW"}
    assert main(["outbox", "--status", "sent"]) == 0
    listing = capsys.readouterr().out
    assert "North West: weekly digest" in listing and "slack:C_NW" in listing
    assert main(["outbox", "--status", "pending"]) == 0
    assert "teams:19:abc@thread.tacv2" in capsys.readouterr().out  # no Teams credentials: queued
    assert main(["unsubscribe", "--slack-channel", "C_NW", "--region", "North West"]) == 0
    assert "Unsubscribed slack:C_NW" in capsys.readouterr().out
    assert main(["unsubscribe", "--slack-channel", "C_NW", "--region", "North West"]) == 1


def test_bad_arguments_are_refused_clearly(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["subscribe", "--slack-channel", "C1"])  # neither --region nor --national
    with pytest.raises(SystemExit, match="Unknown region 'Narnia'"):
        main(["subscribe", "--slack-channel", "C1", "--region", "Narnia"])
    with pytest.raises(SystemExit):
        main(["tick", "--as-of", "next tuesday"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_subscribe_refuses_a_private_slack_channel_the_bot_is_not_in(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeSlackApi() as api:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", api.url)
        api.outside.add("G0SECRET1")
        assert main(["subscribe", "--slack-channel", "G0SECRET1", "--region", "North West"]) == 1
        assert "/invite @Broker bot" in capsys.readouterr().err
        api.outside.add("C0PUBLIC2")
        assert main(["subscribe", "--slack-channel", "C0PUBLIC2", "--region", "North West"]) == 0
        assert "Subscribed slack:C0PUBLIC2 to North West" in capsys.readouterr().out
        assert [c.payload["channel"] for c in api.calls_for("conversations.join", ok_only=True)] == ["C0PUBLIC2"]
