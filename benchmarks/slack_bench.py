"""Latency and throughput of signed `/council Harrow` slash commands (HTTP 200 ack) against our
server, and against a bare Bolt app with a no-op handler served the same way (uvicorn + Starlette
+ Bolt dispatch in the thread pool), at 1, 10 and 50 concurrent clients, in one run.

The ratio ours / bare is our overhead over the framework floor. Each server runs in its own
process on loopback; the Web API and response_url deliveries go to a local fake Slack. After
each level the benchmark also waits for every answer to reach the response_url (our server only),
so a backlog of slow work cannot leak into the next level, and reports how long that took.

    .venv/bin/python benchmarks/slack_bench.py            # SLACK_BENCH_REQUESTS=scale factor
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.slack_api import FakeSlackApi  # noqa: E402
from tests.fakes.slack_signing import signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
LEVELS = (1, 10, 50)
SCALE = float(os.environ.get("SLACK_BENCH_REQUESTS", "1"))
REQUESTS = {1: int(100 * SCALE), 10: int(300 * SCALE), 50: int(500 * SCALE)}
WARMUP = 20


# --- the two servers (run as child processes) -------------------------------------------------


def serve_ours(port: int, database: str, api_url: str) -> None:
    import uvicorn

    from bot.bootstrap import build_http_app, build_router, open_database
    from bot.config import Settings
    from bot.services import Services

    settings = Settings(database_url=database, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                        slack_api_url=api_url, port=port)
    services = Services.create(settings, open_database(settings))
    app = build_http_app(settings, services, build_router(services), run_scheduler=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_bare(port: int, api_url: str) -> None:
    import uvicorn
    from slack_bolt import Ack, App
    from slack_sdk import WebClient
    from starlette.applications import Starlette
    from starlette.routing import Route

    from bot.adapters.slack.http import slack_endpoint

    bolt = App(signing_secret=SECRET, client=WebClient(token=TOKEN, base_url=api_url))

    @bolt.command(re.compile(r"^/.+"))
    def noop(ack: Ack) -> None:
        ack()

    app = Starlette(routes=[Route("/slack/events", slack_endpoint(bolt), methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_fake(port: int) -> None:
    with FakeSlackApi(port=port):
        while True:
            time.sleep(3600)


class FakeProcess:
    """The fake Slack Web API in its own process, so it does not share a GIL with the load generator."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.url = self.root + "/api/"
        self.process = start(["--serve", "fake", "--port", str(self.port)], self.root + "/_count", get=True)

    def response_url(self, key: str) -> str:
        return f"{self.root}/response/{key}"

    def count(self, method: str) -> int:
        return int(httpx.get(self.root + "/_count", timeout=10).json()["counts"].get(method, 0))

    def wait_for(self, method: str, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.count(method) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.count(method)} of {count} {method} calls arrived")
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# --- the load generator --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command_body(api: FakeProcess, n: int) -> str:
    return urlencode({
        "token": "x", "team_id": "T0FAKE001", "team_domain": "fake", "channel_id": "C0BENCH01",
        "channel_name": "bench", "user_id": "U0BENCH01", "user_name": "bench", "command": "/council",
        "text": "Harrow", "api_app_id": "A0BROKER1", "response_url": api.response_url(f"b{n}"),
        "trigger_id": f"{n}.1.x",
    })


async def run_level(url: str, api: FakeProcess, concurrency: int, total: int,
                    offset: int) -> tuple[list[float], float, int]:
    """(acknowledgement latencies, seconds taken, commands refused as busy in their acknowledgement)."""
    latencies: list[float] = []
    busy = 0
    counter = iter(range(offset, offset + total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal busy
            for n in counter:
                body = command_body(api, n)
                headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(SECRET, body)}
                started = time.perf_counter()
                response = await client.post("/slack/events", content=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
                busy += bool(response.content)  # the "busy" acknowledgement: no answer will follow

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed, busy


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def start(args: list[str], probe: str, *, get: bool = False) -> subprocess.Popen[bytes]:
    """Start a child process and wait until `probe` answers anything over HTTP."""
    process = subprocess.Popen([sys.executable, __file__, *args], cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.request("GET" if get else "POST", probe, timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server {args} did not start")


def measure(name: str, args: list[str], port: int, api: FakeProcess, answers: bool) -> dict[int, dict[str, float]]:
    url = f"http://127.0.0.1:{port}"
    process = start(args, url + "/slack/events")
    results: dict[int, dict[str, float]] = {}
    try:
        offset = 0
        refused = asyncio.run(run_level(url, api, 1, WARMUP, offset))[2]
        offset += WARMUP
        if answers:
            api.wait_for("response_url", offset - refused, timeout=120)
        for level in LEVELS:
            total = REQUESTS[level]
            latencies, elapsed, busy = asyncio.run(run_level(url, api, level, total, offset))
            offset += total
            refused += busy
            drained = 0.0
            if answers:
                began = time.perf_counter()
                api.wait_for("response_url", offset - refused, timeout=600)
                drained = time.perf_counter() - began
            results[level] = {
                "n": total, "p50": percentile(latencies, 50) * 1000, "p95": percentile(latencies, 95) * 1000,
                "p99": percentile(latencies, 99) * 1000, "rps": total / elapsed, "mean": statistics.mean(latencies),
                "answers_rps": (total - busy) / (elapsed + drained) if answers else 0.0,
            }
            row = results[level]
            extra = f"   answers delivered {row['answers_rps']:6.1f}/s, busy {busy}" if answers else ""
            print(f"{name:<6} c={level:<3} n={total:<5} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
                  f"p99 {row['p99']:7.1f} ms  ack throughput {row['rps']:7.1f}/s{extra}", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return results


def main() -> int:
    from bot.bootstrap import open_database
    from bot.config import Settings

    api = FakeProcess()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        open_database(Settings(database_url=f"sqlite:///{template}")).dispose()
        database = Path(tmp) / "bench.db"
        shutil.copy(template, database)
        print(f"Signed /council Harrow slash commands; {os.cpu_count()} CPUs; loopback; fake Slack Web API.")
        ours_port, bare_port = free_port(), free_port()
        ours = measure("ours", ["--serve", "ours", "--port", str(ours_port), "--database", f"sqlite:///{database}",
                                "--api-url", api.url], ours_port, api, answers=True)
        bare = measure("bare", ["--serve", "bare", "--port", str(bare_port), "--api-url", api.url],
                       bare_port, api, answers=False)
        print("\nOverhead of ours over the bare Bolt app (ratio ours/bare):")
        for level in LEVELS:
            o, b = ours[level], bare[level]
            print(f"  c={level:<3} p50 x{o['p50'] / b['p50']:5.2f}   p95 x{o['p95'] / b['p95']:5.2f}   "
                  f"p99 x{o['p99'] / b['p99']:5.2f}   throughput x{o['rps'] / b['rps']:5.2f}")
    api.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["ours", "bare", "fake"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--database")
    parser.add_argument("--api-url")
    options = parser.parse_args()
    if options.serve == "ours":
        serve_ours(options.port, options.database, options.api_url)
    elif options.serve == "fake":
        serve_fake(options.port)
    elif options.serve == "bare":
        serve_bare(options.port, options.api_url)
    else:
        raise SystemExit(main())
