"""Resident memory of `python -m bot serve` over 10,000 requests.

Starts the real server (seeded temporary SQLite database, the Slack Web API and response_urls
answered by the slack_bench receiver in this process), then sends signed Slack requests from 10
clients: slash commands about different councils and other commands, app mentions, and some
GET /healthz; every client waits for each answer before sending its next request. Samples the
server's RSS (/proc/PID/status VmRSS) once it is up, after a warm-up, and every 2,000 requests,
and prints it beside the target: under 150 MB after 10,000 requests.

    .venv/bin/python benchmarks/serve_memory.py [--requests 10000] [--clients 10]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slack_bench import (  # noqa: E402
    BOT_USER_ID,
    SECRET,
    Receiver,
    bot_env,
    free_port,
    served,
    wait_until_up,
)
from tests.fakes.slack_signing import signed_headers  # noqa: E402

TARGET_MB = 150.0
SAMPLE_EVERY = 2000
WARMUP = 200
COUNCILS = ("Harrow", "Hull", "Knowsley", "Barnet", "Leeds", "Cornwall", "Camden", "Bradford", "Kent", "Wigan")
COMMANDS = [("/council", name) for name in COUNCILS] + [("/help", ""), ("/broker", "Harrow"), ("/deadlines", "")]
MENTIONS = ("council Harrow", "who is the broker for Hull?", "which councils are inadequate?", "hello")
ANSWER_TIMEOUT = 60.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def request(n: int, receiver_url: str) -> tuple[str, str, str] | None:
    """(answer key, body, content type) of the nth request; None for a GET /healthz."""
    if n % 10 == 9:
        return None
    if n % 3 == 2:
        ts = f"{1_600_000_000 + n}.000001"
        event = {"type": "app_mention", "user": f"U0MEM{n % 7:04d}", "text": f"<@{BOT_USER_ID}> {MENTIONS[n % 4]}",
                 "ts": ts, "channel": "C0MEMORY1", "event_ts": ts}
        body = json.dumps({"token": "x", "team_id": "T0BENCH01", "api_app_id": "A0BROKER1", "type": "event_callback",
                           "event_id": f"EvMem{n}", "event_time": 1_600_000_000, "event": event,
                           "authorizations": [{"team_id": "T0BENCH01", "user_id": BOT_USER_ID, "is_bot": True}]})
        return f"/thread/{ts}", body, "application/json"
    command, text = COMMANDS[n % len(COMMANDS)]
    key = f"/response/mem-{n}"
    body = urlencode({"team_id": "T0BENCH01", "channel_id": "C0MEMORY1", "user_id": f"U0MEM{n % 7:04d}",
                      "user_name": "mem", "command": command, "text": text, "api_app_id": "A0BROKER1",
                      "response_url": receiver_url + key, "trigger_id": f"{n}.1.mem"})
    return key, body, "application/x-www-form-urlencoded"


async def send(client: httpx.AsyncClient, receiver: Receiver, receiver_url: str, numbers: itertools.count[int],
               until: int) -> None:
    for n in numbers:
        if n >= until:
            return
        built = request(n, receiver_url)
        if built is None:
            (await client.get("/healthz")).raise_for_status()
            continue
        key, body, content_type = built
        answered = receiver.expect(key)
        response = await client.post("/slack/events", content=body,
                                     headers={"Content-Type": content_type, **signed_headers(SECRET, body)})
        response.raise_for_status()
        if response.content and content_type.endswith("urlencoded"):  # "busy": no answer follows
            receiver.waiting.pop(key, None)
            continue
        await asyncio.wait_for(answered, ANSWER_TIMEOUT)


async def run(requests: int, clients: int, database: Path) -> list[tuple[str, float]]:
    receiver = Receiver()
    port = free_port()
    samples: list[tuple[str, float]] = []
    async with served(receiver) as receiver_url:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT,
                                   env=bot_env(database, receiver_url, port),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
            samples.append(("started", rss_mb(process.pid)))
            numbers = itertools.count()
            limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60) as client:
                marks = [WARMUP, *range(SAMPLE_EVERY, requests + 1, SAMPLE_EVERY)]
                if marks[-1] != requests:
                    marks.append(requests)
                began = time.monotonic()
                for mark in marks:
                    await asyncio.gather(
                        *(send(client, receiver, receiver_url, numbers, mark) for _ in range(clients))
                    )
                    numbers = itertools.count(mark)
                    samples.append((f"after {mark}", rss_mb(process.pid)))
                    print(f"  {mark:6d} requests  RSS {samples[-1][1]:6.1f} MB  "
                          f"({time.monotonic() - began:5.0f} s)", flush=True)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    return samples


def main(requests: int, clients: int) -> int:
    from bot.bootstrap import open_database
    from bot.config import Settings

    print(f"RSS of `python -m bot serve` over {requests} requests from {clients} clients (signed slash commands, "
          f"mentions, /healthz); load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        open_database(Settings(database_url=f"sqlite:///{template}")).dispose()
        database = Path(tmp) / "memory.db"
        shutil.copy(template, database)
        samples = asyncio.run(run(requests, clients, database))
    started = samples[0][1]
    warmed = samples[1][1]
    final = samples[-1][1]
    print(f"RSS at start {started:.1f} MB, after warm-up {warmed:.1f} MB, after {requests} requests {final:.1f} MB "
          f"(growth since warm-up {final - warmed:+.1f} MB)")
    print(f"Target: under {TARGET_MB:.0f} MB after {requests} requests: {'met' if final < TARGET_MB else 'NOT met'}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=10)
    options = parser.parse_args()
    raise SystemExit(main(options.requests, options.clients))
