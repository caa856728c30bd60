"""Sustained overload: 10 clients sending signed `/council Harrow` slash commands back to back for
20 seconds against a real `python -m bot serve` process (SQLite), with the fake Slack Web API in
its own process receiving the answers at their response_urls.

Prints, for acknowledgements (HTTP 200 back to the client) and for answers (from sending the
command to its answer arriving at the response_url): p50, p95, p99 and the slowest; how many
commands were refused as busy in their acknowledgement; throughput of each; and whether every
accepted command got its answer. The goal: no answer later than 5 s after its request.

    .venv/bin/python benchmarks/overload.py [--clients 10] [--seconds 20] [--queue N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.slack_api import FakeSlackApi  # noqa: E402
from tests.fakes.slack_signing import signed_headers  # noqa: E402

SECRET = "overload-signing-secret"
ANSWER_GOAL_SECONDS = 5.0


@dataclass
class Sent:
    key: str
    at: float  # time.monotonic() when sent (the same clock as the fake's arrival times on this machine)
    ack_seconds: float
    busy: bool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def serve_fake(port: int) -> None:
    with FakeSlackApi(port=port):
        while True:
            time.sleep(3600)


def command_body(fake_root: str, n: int) -> str:
    return urlencode({
        "token": "x", "team_id": "T0FAKE001", "team_domain": "fake", "channel_id": "C0LOAD001",
        "channel_name": "load", "user_id": "U0LOAD001", "user_name": "load", "command": "/council",
        "text": "Harrow", "api_app_id": "A0BROKER1", "response_url": f"{fake_root}/response/o{n}",
        "trigger_id": f"{n}.1.overload",
    })


async def load(url: str, fake_root: str, clients: int, seconds: float, first: int) -> tuple[list[Sent], float]:
    sent: list[Sent] = []
    numbers = iter(range(first, 10**9))
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def one_client() -> None:
            while time.monotonic() < stop_at:
                n = next(numbers)
                body = command_body(fake_root, n)
                headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(SECRET, body)}
                began = time.monotonic()
                response = await client.post("/slack/events", content=body, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
                sent.append(Sent(f"/response/o{n}", began, time.monotonic() - began, bool(response.content)))

        started = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.monotonic() - started
    return sent, elapsed


def arrivals(fake_root: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for path, at in httpx.get(fake_root + "/_arrivals", timeout=30).json()["arrivals"]:
        found.setdefault(path, at)
    return found


def percentiles(samples: list[float]) -> str:
    if not samples:
        return "(none)"
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))] * 1000

    return f"p50 {at(50):8.1f} ms  p95 {at(95):8.1f} ms  p99 {at(99):8.1f} ms  max {ordered[-1] * 1000:8.1f} ms"


def main(clients: int, seconds: float, queue: int | None) -> int:
    from bot.bootstrap import open_database
    from bot.config import Settings

    fake_port, bot_port = free_port(), free_port()
    fake_root = f"http://127.0.0.1:{fake_port}"
    fake = subprocess.Popen([sys.executable, __file__, "--serve-fake", str(fake_port)], cwd=ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "overload.db"
        open_database(Settings(database_url=f"sqlite:///{database}")).dispose()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SLACK_BOT_TOKEN": "xoxb-overload",
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake_root + "/api/", "SLACK_APP_TOKEN": "",
               "SCHEDULER_ENABLED": "false", "HOST": "127.0.0.1", "PORT": str(bot_port), "LOG_LEVEL": "WARNING"}
        if queue is not None:
            env["SLACK_WORK_QUEUE"] = str(queue)
        bot = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_up(fake_root + "/_count", fake)
            wait_until_up(f"http://127.0.0.1:{bot_port}/healthz", bot)
            asyncio.run(load(f"http://127.0.0.1:{bot_port}", fake_root, 1, 2, first=0))  # warm up
            time.sleep(3)
            warm = set(arrivals(fake_root))
            sent, elapsed = asyncio.run(load(f"http://127.0.0.1:{bot_port}", fake_root, clients, seconds,
                                             first=10**6))
            accepted = [s for s in sent if not s.busy]
            deadline = time.monotonic() + 60
            while True:
                arrived = arrivals(fake_root)
                missing = [s for s in accepted if s.key not in arrived]
                if not missing or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            answer_seconds = [arrived[s.key] - s.at for s in accepted if s.key in arrived and s.key not in warm]
            finished = max((arrived[s.key] for s in accepted if s.key in arrived), default=0.0)
            first = min((s.at for s in sent), default=0.0)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=60)
            fake.terminate()
            fake.wait(timeout=30)
    late = sum(1 for a in answer_seconds if a > ANSWER_GOAL_SECONDS)
    print(f"Overload: {clients} clients for {seconds:.0f} s, signed /council Harrow, real serve process (SQLite), "
          f"{os.cpu_count()} CPUs, loopback, fake Slack API in its own process.")
    print(f"  requests sent         {len(sent):6d}  ({len(sent) / elapsed:6.1f}/s acknowledged)")
    print(f"  refused as busy       {len(sent) - len(accepted):6d}  (ephemeral 'busy' in the acknowledgement)")
    print(f"  accepted              {len(accepted):6d}  answered {len(answer_seconds)}, never answered {len(missing)}")
    print(f"  answers delivered     {len(answer_seconds) / max(finished - first, 1e-9):6.1f}/s")
    print(f"  acknowledgement       {percentiles([s.ack_seconds for s in sent])}")
    print(f"  answer (send->answer) {percentiles(answer_seconds)}")
    print(f"  answers later than {ANSWER_GOAL_SECONDS:.0f} s: {late}")
    return 0 if not missing and late == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--queue", type=int, help="SLACK_WORK_QUEUE for the server (default: its own)")
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_fake:
        serve_fake(options.serve_fake)
    else:
        raise SystemExit(main(options.clients, options.seconds, options.queue))
