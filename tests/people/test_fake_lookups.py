"""The fakes answer identity lookups as strictly as Slack and Teams do, so the tests that rely on
them can fail for the right reasons."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.bot_connector import SERVICE_PATH, FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi


def test_users_info_is_as_strict_as_slack() -> None:
    with FakeSlackApi() as api:
        client = WebClient(token="xoxb-test", base_url=api.url)
        api.add_user("U0JO00001", email="jo@example.org", name="Jo Bloggs")
        assert client.users_info(user="U0JO00001")["user"]["profile"]["email"] == "jo@example.org"
        with pytest.raises(SlackApiError) as unknown:
            client.users_info(user="U0NOBODY1")
        assert unknown.value.response["error"] == "user_not_found"
        api.scopes.discard("users:read.email")
        assert "email" not in client.users_info(user="U0JO00001")["user"]["profile"]
        api.scopes.discard("users:read")
        with pytest.raises(SlackApiError) as scope:
            client.users_info(user="U0JO00001")
        assert scope.value.response["error"] == "missing_scope" and scope.value.response["needed"] == "users:read"


def test_the_member_lookup_is_as_strict_as_the_bot_connector() -> None:
    with FakeBotConnector() as connector:
        connector.add_member("a:chat", member_id="29:jo", object_id="0f0f0f0f-0000-4000-8000-000000000001",
                             name="Jo Bloggs", email="jo@example.org", tenant_id="tenant-1")
        url = connector.root + SERVICE_PATH + "v3/conversations/{}/members/{}"
        token = {"Authorization": "Bearer fake-app-token-1"}
        assert httpx.get(url.format("a:chat", "29:jo")).status_code == 401  # the app's token is required
        by_id = httpx.get(url.format("a:chat", "29:jo"), headers=token).json()
        by_object_id = httpx.get(url.format("a:chat", "0f0f0f0f-0000-4000-8000-000000000001"), headers=token).json()
        assert by_id == by_object_id and by_id["email"] == "jo@example.org" and by_id["tenantId"] == "tenant-1"
        missing = httpx.get(url.format("a:chat", "29:someone-else"), headers=token)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "MemberNotFoundInConversation"
        elsewhere = httpx.get(url.format("a:other", "29:jo"), headers=token)
        assert elsewhere.status_code == 403 and elsewhere.json()["error"]["code"] == "BotNotInConversationRoster"
