"""Many Slack workspaces through Slack's real OAuth flow: GET /slack/install -> the state cookie ->
GET /slack/oauth_redirect?code=...&state=..., with the code exchanged at the fake Web API (strict:
each token works only for its own workspace). Each workspace is answered with its own token, gets
its own digest from the scheduler, and stops getting anything once it uninstalls the app."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from bot.bootstrap import build_senders
from bot.scheduler.delivery import Deliverer
from bot.scheduler.runtime import SchedulerRuntime
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import SlackServer, slack_settings
from tests.fakes.slack_workspaces import FakeWorkspace, FakeWorkspaces
from tests.scheduler.conftest import FakeClock, at

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "oauth-client-secret-0001"
STATE_SECRET = "state-secret-0001"
STATE_COOKIE = "slack-app-oauth-state"
MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"
ADMIN = "U0ADMIN01"  # one admin id in both workspaces keeps the setup short
LONDON_CHANNEL, BRISTOL_CHANNEL = "C0LONDON1", "C0BRISTOL"


@pytest.fixture
def workspaces(slack_api: FakeSlackApi) -> FakeWorkspaces:
    return slack_api.serve_workspaces(CLIENT_ID, CLIENT_SECRET)


@pytest.fixture
def oauth_server(db_path: Path, slack_api: FakeSlackApi, workspaces: FakeWorkspaces) -> Iterator[SlackServer]:
    settings = slack_settings(db_path, slack_api, slack_bot_token="", slack_client_id=CLIENT_ID,
                              slack_client_secret=CLIENT_SECRET, slack_state_secret=STATE_SECRET,
                              admins=frozenset({ADMIN}))
    server = SlackServer(settings).start()
    yield server
    server.stop()


def start_install(server: SlackServer) -> tuple[str, list[str], str]:
    """GET /slack/install: Slack's authorize URL (its state and scopes) and the state cookie."""
    started = server.http.get("/slack/install")
    assert started.status_code == 302, started.text
    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    return query["state"][0], query["scope"][0].split(","), started.headers["set-cookie"].split(";")[0]


def install(server: SlackServer, workspaces: FakeWorkspaces, workspace: FakeWorkspace) -> httpx.Response:
    """An admin of `workspace` goes through the whole flow: the install link, Slack's approval
    (a code), and the redirect back with the code, the state and the browser's state cookie."""
    state, scopes, cookie = start_install(server)
    code = workspaces.authorize(workspace, scopes)
    return server.http.get("/slack/oauth_redirect", params={"code": code, "state": state},
                           headers={"Cookie": cookie})


def dm(server: SlackServer, workspace: FakeWorkspace, text: str, user: str = ADMIN) -> httpx.Response:
    channel = "D" + workspace.team_id[1:]
    return server.event({"type": "message", "channel_type": "im", "channel": channel, "user": user,
                         "text": text, "ts": "1764000000.000100"}, team=workspace.team_id,
                        bot_user=workspace.bot_user_id)


def posts_to(api: FakeSlackApi, channel: str) -> list[str | None]:
    """The token of every successful chat.postMessage to `channel`."""
    return [c.token for c in api.calls_for("chat.postMessage", ok_only=True) if c.payload.get("channel") == channel
            and api.workspaces is not None and api.workspaces.by_token(c.token) is not None
            and c.status == 200 and not c.failed]


def wait_until(read: Callable[[], object], expected: object, timeout: float = 10.0) -> object:
    """What `read()` returns once it equals `expected`, or when `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def digests_sent(server: SlackServer, api: FakeSlackApi) -> list[str]:
    """The channels of digests the outbox sent, each found among the messages Slack holds."""
    rows = server.services.scheduling.outbox.list(status="sent")
    return [r.destination for r in rows if r.kind == "digest" and (r.destination, r.message_id) in api.messages]


def test_the_install_link_asks_for_the_manifests_scopes(oauth_server: SlackServer) -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    _, scopes, cookie = start_install(oauth_server)
    assert scopes == manifest["oauth_config"]["scopes"]["bot"]
    assert cookie.startswith(f"{STATE_COOKIE}=")


def test_two_workspaces_installed_by_oauth_are_each_answered_with_their_own_token(
    oauth_server: SlackServer, slack_api: FakeSlackApi, workspaces: FakeWorkspaces
) -> None:
    london, bristol = workspaces.add("T0LONDON1", "London brokers"), workspaces.add("T0BRISTOL", "South West")
    for workspace in (london, bristol):
        finished = install(oauth_server, workspaces, workspace)
        assert finished.status_code == 200, finished.text
    exchanges = slack_api.calls_for("oauth.v2.access")
    assert len(exchanges) == 2 and all(c.status == 200 for c in exchanges)

    assert dm(oauth_server, london, "who is the broker for London?").status_code == 200
    assert dm(oauth_server, bristol, "who is the broker for the South West?").status_code == 200
    posts = slack_api.wait_for("chat.postMessage", 2)
    by_channel = {c.payload["channel"]: c for c in posts}
    assert by_channel["D0LONDON1"].token == london.bot_token
    assert by_channel["D0BRISTOL"].token == bristol.bot_token
    assert "Paul Curran" in by_channel["D0LONDON1"].payload["text"]
    assert "Oonagh Aitken" in by_channel["D0BRISTOL"].payload["text"]
    assert london.bot_token != bristol.bot_token


def test_a_wrong_code_or_a_forged_state_installs_nothing(
    oauth_server: SlackServer, slack_api: FakeSlackApi, workspaces: FakeWorkspaces
) -> None:
    london = workspaces.add("T0LONDON1", "London brokers")
    state, _, cookie = start_install(oauth_server)
    refused = oauth_server.http.get("/slack/oauth_redirect", params={"code": "T0LONDON1.not-issued", "state": state},
                                    headers={"Cookie": cookie})
    assert refused.status_code >= 400
    assert [c.payload.get("code") for c in slack_api.calls_for("oauth.v2.access")] == ["T0LONDON1.not-issued"]

    forged = "0b7c6f1e-0000-4000-8000-000000000000.deadbeef"
    code = workspaces.authorize(london, ["chat:write"])
    refused = oauth_server.http.get("/slack/oauth_redirect", params={"code": code, "state": forged},
                                    headers={"Cookie": f"{STATE_COOKIE}={forged}"})
    assert refused.status_code >= 400
    assert len(slack_api.calls_for("oauth.v2.access")) == 1  # the forged state never reached Slack

    assert dm(oauth_server, london, "who is the broker for London?").status_code == 200
    assert slack_api.calls_for("chat.postMessage") == []  # not installed: nobody answers


def test_each_workspace_gets_its_own_digest_until_it_uninstalls(
    oauth_server: SlackServer, slack_api: FakeSlackApi, workspaces: FakeWorkspaces
) -> None:
    london, bristol = workspaces.add("T0LONDON1", "London brokers"), workspaces.add("T0BRISTOL", "South West")
    for workspace in (london, bristol):
        assert install(oauth_server, workspaces, workspace).status_code == 200
    oauth_server.command(slack_api, "/digest", "subscribe London", user=ADMIN, channel=LONDON_CHANNEL,
                         team=london.team_id)
    oauth_server.command(slack_api, "/digest", "subscribe South West", user=ADMIN, channel=BRISTOL_CHANNEL,
                         team=bristol.team_id)
    answers = slack_api.wait_for("response_url", 2)
    assert all("Subscribed" in str(c.payload.get("text")) for c in answers), [c.payload for c in answers]
    checks = {c.payload["channel"]: c.token for c in slack_api.calls_for("conversations.info")}
    assert checks == {LONDON_CHANNEL: london.bot_token, BRISTOL_CHANNEL: bristol.bot_token}

    services = oauth_server.services
    clock = FakeClock()
    senders = build_senders(services)
    runtime = SchedulerRuntime(services, senders, deliverer=Deliverer(
        services.scheduling.outbox, senders, sleep=clock.sleep, monotonic=clock.monotonic, worker="w1"))

    runtime.run_pass(at(date(2026, 11, 30), 9))  # Monday: the weekly digest
    assert posts_to(slack_api, LONDON_CHANNEL) and set(posts_to(slack_api, LONDON_CHANNEL)) == {london.bot_token}
    assert posts_to(slack_api, BRISTOL_CHANNEL) and set(posts_to(slack_api, BRISTOL_CHANNEL)) == {bristol.bot_token}
    assert sorted(digests_sent(oauth_server, slack_api)) == sorted([LONDON_CHANNEL, BRISTOL_CHANNEL])

    next_monday = at(date(2026, 12, 7), 9)
    runtime.decide(next_monday)  # the next digests are in the outbox, waiting to be sent
    pending = {r.destination for r in services.scheduling.outbox.list(status="pending") if r.kind == "digest"}
    assert pending == {LONDON_CHANNEL, BRISTOL_CHANNEL}

    workspaces.uninstall(london)  # Slack revokes the token, then tells the app
    assert oauth_server.event({"type": "app_uninstalled"}, team=london.team_id,
                              bot_user=london.bot_user_id).status_code == 200
    subscribed = wait_until(lambda: [s.destination for s in services.scheduling.subscriptions.all()],
                            [BRISTOL_CHANNEL])  # Bolt runs the listener after its acknowledgement
    assert subscribed == [BRISTOL_CHANNEL]
    with_london_token = len([c for c in slack_api.calls if c.token == london.bot_token])
    bristol_posts = len(posts_to(slack_api, BRISTOL_CHANNEL))

    runtime.run_pass(next_monday)  # Bristol's digest only
    assert len(posts_to(slack_api, BRISTOL_CHANNEL)) > bristol_posts
    assert sorted(digests_sent(oauth_server, slack_api)) == sorted([LONDON_CHANNEL, BRISTOL_CHANNEL, BRISTOL_CHANNEL])
    london_rows = [r for r in services.scheduling.outbox.list() if r.destination == LONDON_CHANNEL]
    cancelled = [r for r in london_rows if r.status == "cancelled"]
    assert cancelled and all("uninstalled" in (r.last_error or "") for r in cancelled)
    assert not [r for r in london_rows if r.status == "pending"]

    answered = len(slack_api.calls_for("chat.postMessage"))
    dm(oauth_server, london, "who is the broker for London?")  # refused by Bolt: no installation
    dm(oauth_server, bristol, "who is the broker for the South West?")
    last = slack_api.wait_for("chat.postMessage", answered + 1)[-1]
    assert last.payload["channel"] == "D0BRISTOL" and last.token == bristol.bot_token
    assert len([c for c in slack_api.calls if c.token == london.bot_token]) == with_london_token


def test_a_revoked_bot_token_is_forgotten_and_the_workspace_no_longer_answered(
    oauth_server: SlackServer, slack_api: FakeSlackApi, workspaces: FakeWorkspaces
) -> None:
    london = workspaces.add("T0LONDON1", "London brokers")
    assert install(oauth_server, workspaces, london).status_code == 200
    store = oauth_server.app.state.bolt_app.oauth_flow.settings.installation_store
    assert store.find_bot(enterprise_id=None, team_id=london.team_id).bot_token == london.bot_token

    workspaces.uninstall(london)
    oauth_server.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [london.bot_user_id]}},
                       team=london.team_id, bot_user=london.bot_user_id)
    assert wait_until(lambda: store.find_bot(enterprise_id=None, team_id=london.team_id), None) is None
    assert dm(oauth_server, london, "who is the broker for London?").status_code == 200
    assert slack_api.calls_for("chat.postMessage") == []


def test_a_state_not_signed_with_the_state_secret_is_refused_before_it_is_used(
    oauth_server: SlackServer, slack_api: FakeSlackApi, workspaces: FakeWorkspaces
) -> None:
    london = workspaces.add("T0LONDON1", "London brokers")
    state, scopes, _ = start_install(oauth_server)
    resigned = state.rpartition(".")[0]  # the state as the database keeps it, without its signature
    refused = oauth_server.http.get("/slack/oauth_redirect", params={"code": workspaces.authorize(london, scopes),
                                                                     "state": resigned},
                                    headers={"Cookie": f"{STATE_COOKIE}={resigned}"})
    assert refused.status_code >= 400 and slack_api.calls_for("oauth.v2.access") == []
    accepted = oauth_server.http.get("/slack/oauth_redirect", params={"code": workspaces.authorize(london, scopes),
                                                                      "state": state},
                                     headers={"Cookie": f"{STATE_COOKIE}={state}"})
    assert accepted.status_code == 200  # the refused attempt did not use the state up


def test_a_broker_in_an_installed_workspace_is_known_by_email_through_that_workspaces_token(
    oauth_server: SlackServer, slack_api: FakeSlackApi, workspaces: FakeWorkspaces
) -> None:
    london, bristol = workspaces.add("T0LONDON1", "London brokers"), workspaces.add("T0BRISTOL", "South West")
    for workspace in (london, bristol):
        assert install(oauth_server, workspaces, workspace).status_code == 200
    slack_api.add_user("U0PAUL001", email="curran56@yahoo.co.uk", name="Paul Curran", team_id=london.team_id)

    slack_api.add_user("U0SAM0001", email="sam@elsewhere.example", name="Sam Stranger", team_id=bristol.team_id)

    # Each user is looked up with their own workspace's token (the other's could not see them).
    oauth_server.command(slack_api, "/signup", "London dcs agreed 20/11/2026", user="U0SAM0001",
                         team=bristol.team_id)
    [refused] = slack_api.wait_for("response_url")
    assert "Only lead brokers and admins" in str(refused.payload["text"])
    assert [c.token for c in slack_api.calls_for("users.info")] == [bristol.bot_token]

    slack_api.calls[:] = [c for c in slack_api.calls if c.method != "response_url"]
    oauth_server.command(slack_api, "/signup", "London dcs agreed 20/11/2026", user="U0PAUL001",
                         team=london.team_id)
    [answer] = slack_api.wait_for("response_url")
    text = str(answer.payload["text"])
    assert text.startswith("You are linked as Paul Curran, lead broker for London.")
    assert "Logged: London, director of children's services agreed on 20 November 2026" in text
    assert [c.token for c in slack_api.calls_for("users.info")] == [bristol.bot_token, london.bot_token]
