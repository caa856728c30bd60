"""Teams round trip: signed activities POSTed to `/api/messages` on a real `python -m bot serve`
process, answered through the Agents SDK to a fake Bot Connector on loopback, at 1 and 10
concurrent clients; then proactive sends through TeamsSender (what the outbox does).

The POST returns once the reply has been posted to the connector (the SDK runs the turn inline),
so the latency printed is the whole trip: JWT check, SDK pipeline, router, card, connector call.

    .venv/bin/python benchmarks/teams_bench.py        # TEAMS_BENCH_REQUESTS=scale factor
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.bot_connector import FakeBotConnector  # noqa: E402
from tests.teams.activities import APP_ID, personal_message  # noqa: E402

SCALE = float(os.environ.get("TEAMS_BENCH_REQUESTS", "1"))
LEVELS = ((1, int(60 * SCALE)), (10, int(200 * SCALE)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("server did not start")


async def run_level(url: str, fake: FakeBotConnector, clients: int, total: int) -> list[float]:
    token = fake.sign(audience=APP_ID)
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            queue.get_nowait()
            activity = personal_message(fake.service_url, "council Harrow")
            start = time.perf_counter()
            response = await client.post(url + "/api/messages", json=activity,
                                         headers={"Authorization": f"Bearer {token}"})
            latencies.append(time.perf_counter() - start)
            assert response.status_code == 202, response.text

    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    return latencies


def report(label: str, latencies: list[float], wall: float) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
    print(f"{label}: {len(ordered)} requests, {len(ordered) / wall:.1f}/s, "
          f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


def proactive(fake: FakeBotConnector, db_url: str, sends: int) -> None:
    from bot.adapters.teams.sender import ConversationRateLimiter, TeamsSender
    from bot.config import Settings
    from bot.core.reply import Action, Reply
    from bot.services.teams_conversations import TeamsConversations
    from storage.db import Database

    settings = Settings(database_url=db_url, teams_app_id=APP_ID, teams_app_password="bench",
                        teams_token_url=fake.token_url)
    store = TeamsConversations(Database(db_url))
    reference = {"bot": {"id": f"28:{APP_ID}"}, "channelId": "msteams", "serviceUrl": fake.service_url,
                 "conversation": {"id": "19:bench@thread.tacv2", "conversationType": "channel"}}
    store.remember("19:bench@thread.tacv2", reference, service_url=fake.service_url)
    sender = TeamsSender(settings, store, ConversationRateLimiter(limits=((10_000, 1.0),)))
    reply = Reply(text="Weekly digest.", title="Digest", actions=(Action("Acknowledge", "/reminder ack 1"),))
    start = time.perf_counter()
    for _ in range(sends):
        sender.send("19:bench@thread.tacv2", reply)
    wall = time.perf_counter() - start
    print(f"proactive sends (TeamsSender, rate limiter relaxed): {sends} in {wall:.2f} s, "
          f"{wall / sends * 1000:.1f} ms each")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, FakeBotConnector() as fake:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        port = free_port()
        env = {**os.environ, "DATABASE_URL": db_url, "PORT": str(port), "HOST": "127.0.0.1",
               "SCHEDULER_ENABLED": "false", "TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "bench",
               "TEAMS_TOKEN_URL": fake.token_url, "TEAMS_JWKS_URL": fake.jwks_url,
               "TEAMS_CHECK_SERVICE_URL": "false", "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}
        server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=tmp, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url)
            asyncio.run(run_level(url, fake, 1, 5))  # warm-up: JWKS fetch, app token, caches
            for clients, total in LEVELS:
                start = time.perf_counter()
                latencies = asyncio.run(run_level(url, fake, clients, total))
                report(f"/api/messages 'council Harrow', {clients} client(s)", latencies,
                       time.perf_counter() - start)
            print(f"connector posts recorded: {len(fake.sent)}; app tokens fetched: {len(fake.token_requests)}")
        finally:
            server.terminate()
            server.wait(timeout=30)
        proactive(fake, db_url, int(100 * SCALE))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
