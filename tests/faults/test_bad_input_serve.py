"""Forged Teams tokens and malformed requests against a real `python -m bot serve` process (Slack
and Teams both configured, Teams single-tenant): every forged token is refused (401) and writes
nothing; every malformed request gets a 4xx without a traceback, never a 5xx."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import SIGNING_SECRET
from tests.faults.serve_process import ServeProcess
from tests.faults.test_malformed_slack import malformed_requests
from tests.teams.activities import APP_ID, TENANT, personal_message
from tests.teams.test_auth import forged_tokens


class Deployment:
    def __init__(self, process: ServeProcess, connector: FakeBotConnector, db: Path) -> None:
        self.process = process
        self.connector = connector
        self.db = db

    def teams(self, body: bytes, token: str | None, content_type: str = "application/json") -> httpx.Response:
        headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
        return httpx.post(self.process.base + "/api/messages", content=body, headers=headers, timeout=30)

    def conversations_stored(self) -> int:
        with sqlite3.connect(self.db) as conn:
            return int(conn.execute("SELECT count(*) FROM teams_conversation_ref").fetchone()[0])


@pytest.fixture(scope="module")
def deployment(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    db = tmp_path_factory.mktemp("bad-input") / "bot.db"
    shutil.copy(seeded_template, db)
    with FakeSlackApi() as api, FakeBotConnector() as connector:
        process = ServeProcess({
            "DATABASE_URL": f"sqlite:///{db}", "SLACK_BOT_TOKEN": "xoxb-fault", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api.url, "TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "secret-for-tests",
            "TEAMS_TENANT_ID": TENANT, "TEAMS_TOKEN_URL": connector.token_url, "TEAMS_JWKS_URL": connector.jwks_url,
            "TEAMS_CHECK_SERVICE_URL": "false",  # the fake connector is plain http on loopback
        }).wait_healthy()
        yield Deployment(process, connector, db)
        output = process.stop()
    assert "Traceback" not in output, output[-3000:]


def activity_bytes(activity: Any) -> bytes:
    import json

    return json.dumps(activity).encode()


def malformed_activities(service_url: str) -> dict[str, tuple[bytes, str]]:
    good = personal_message(service_url, "council Harrow")

    def without(*names: str) -> dict[str, Any]:
        return {k: v for k, v in good.items() if k not in names}

    def changed(**fields: Any) -> dict[str, Any]:
        return {**good, **fields}

    json_type = "application/json"
    return {
        "not JSON": (b"{bad json", json_type),
        "nested too deep to parse": (b"[" * 50_000 + b"]" * 50_000, json_type),
        "not UTF-8": (b"\xff\xfe\xfa{}", json_type),
        "empty body": (b"", json_type),
        "JSON array": (b"[1, 2]", json_type),
        "JSON string": (b'"message"', json_type),
        "JSON null": (b"null", json_type),
        "missing type": (activity_bytes(without("type")), json_type),
        "missing conversation": (activity_bytes(without("conversation")), json_type),
        "conversation without id": (activity_bytes(changed(conversation={"conversationType": "personal"})), json_type),
        "type is a number": (activity_bytes(changed(type=5)), json_type),
        "conversation is a string": (activity_bytes(changed(conversation="a:1")), json_type),
        "from is a list": (activity_bytes(changed(**{"from": []})), json_type),
        "serviceUrl is a number": (activity_bytes(changed(serviceUrl=123)), json_type),
        "entities is a string": (activity_bytes(changed(entities="x")), json_type),
        "timestamp is not a date": (activity_bytes(changed(timestamp="yesterday-ish")), json_type),
        "wrong content type": (b"<activity/>", "text/xml"),
    }


def test_forged_tokens_through_the_real_server(deployment: Deployment) -> None:
    connector = deployment.connector
    forged = forged_tokens(connector)
    body = activity_bytes(personal_message(connector.service_url, "council Harrow"))
    statuses = {case: deployment.teams(body, token).status_code for case, token in forged.items()}
    statuses["no token"] = deployment.teams(body, None).status_code
    accepted = [case for case, status in statuses.items() if status != 401]
    assert accepted == [], statuses
    assert connector.sent == [] and deployment.conversations_stored() == 0
    # the control: a good token through the same server is accepted and answered
    assert deployment.teams(body, connector.sign(audience=APP_ID)).status_code == 202
    assert len(connector.wait_for(1)) == 1


def test_malformed_teams_activities_with_a_valid_token_get_400(deployment: Deployment) -> None:
    connector = deployment.connector
    token = connector.sign(audience=APP_ID)
    statuses = {}
    for case, (body, content_type) in malformed_activities(connector.service_url).items():
        response = deployment.teams(body, token, content_type)
        assert "Traceback" not in response.text and 'File "' not in response.text, case
        statuses[case] = response.status_code
    assert statuses == dict.fromkeys(statuses, 400)


def test_malformed_slack_requests_get_4xx_from_the_real_server(deployment: Deployment) -> None:
    statuses = {}
    for case, (body, headers) in malformed_requests().items():
        response = httpx.post(deployment.process.base + "/slack/events", content=body, headers=headers, timeout=30)
        assert "Traceback" not in response.text and 'File "' not in response.text, case
        statuses[case] = response.status_code
    assert [case for case, status in statuses.items() if status >= 500] == [], statuses
