"""What a Slack user feels, end to end: from sending a signed `/council Harrow` slash command to its
answer arriving at the `response_url`, and from a signed `app_mention` event to the bot's
`chat.postMessage` arriving at the Slack Web API; plus the acknowledgement (HTTP 200) of each.

Two servers, measured in ONE run with the same load generator and the same receiver:
  ours  `python -m bot serve` as a real process on a seeded temporary SQLite database;
  bare  the floor: a bare Bolt app served the same way (uvicorn + Starlette, Bolt's dispatch in the
        thread pool) whose listeners acknowledge and answer a fixed text, through the
        `response_url` (Bolt's `respond`) for commands and `chat.postMessage` (Bolt's `say`) for
        mentions.
Both post their answers to one receiver (an ASGI app on uvicorn, in the load generator's event
loop), which notes when each answer arrives and wakes the client waiting for it. At each level (1,
10 and 50 concurrent clients) every client sends its next request once its last one is answered,
as a person does; acknowledgement = until the HTTP 200, answer = until the answer arrives. Both
servers run side by side and each level is measured on ours and then on the floor, so a change in
the machine's load falls on both alike; the CPU each server used per request is printed too (a
figure a busy machine disturbs less than latencies).

Prints p50 / p95 / p99 of acknowledgements and answers per level and server, the ratios
ours / bare, and the targets: at 10 clients, answer p99 within 1.5x of the floor and
acknowledgement p99 within 1.5x of the bare app's.

    .venv/bin/python benchmarks/slack_bench.py     # SLACK_BENCH_REQUESTS=scale factor (default 1)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.slack_signing import signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
BOT_USER_ID = "UBOTBENCH"
LEVELS = (1, 10, 50)
SCALE = float(os.environ.get("SLACK_BENCH_REQUESTS", "1"))
COMMANDS = {1: int(100 * SCALE), 10: int(300 * SCALE), 50: int(500 * SCALE)}
MENTIONS = {level: max(1, count // 2) for level, count in COMMANDS.items()}
WARMUP = 20
TARGET_LEVEL = 10
TARGET_RATIO = 1.5
ANSWER_TIMEOUT = 60.0
FIXED_TEXT = "Harrow: a fixed answer from the bare app."


# --- the receiver: Slack's response_url and Web API, in the load generator's event loop -----------


class Receiver:
    """A raw ASGI app standing in for Slack: notes when each answer arrives and wakes the client
    waiting for it; answers auth.test and chat.postMessage as Slack does."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[float]] = {}

    def expect(self, key: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[key] = future
        return future

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        at = time.monotonic()
        path: str = scope["path"]
        answer: dict[str, Any] = {"ok": True}
        key = ""
        if path.startswith("/response/"):
            key = path
        elif path == "/api/chat.postMessage":
            payload = parse_payload(b"".join(chunks), dict(scope["headers"]).get(b"content-type", b""))
            key = f"/thread/{payload.get('thread_ts')}"
            answer = {"ok": True, "channel": payload.get("channel"), "ts": f"{at:.6f}"}
        elif path == "/api/auth.test":
            answer = {"ok": True, "user_id": BOT_USER_ID, "bot_id": "BBOTBENCH", "team_id": "T0BENCH01",
                      "team": "Bench", "user": "brokerbot", "url": "https://bench.slack.test/"}
        future = self.waiting.pop(key, None)
        if future is not None and not future.done():
            future.set_result(at)
        body = json.dumps(answer).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def parse_payload(raw: bytes, content_type: bytes) -> dict[str, Any]:
    if b"json" in content_type:
        parsed = json.loads(raw or b"{}")
        return parsed if isinstance(parsed, dict) else {}
    return dict(parse_qsl(raw.decode()))


# --- the floor: a bare Bolt app --------------------------------------------------------------------


def serve_bare(port: int, api_url: str) -> None:
    import uvicorn
    from slack_bolt import Ack, App, Respond, Say
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from slack_sdk import WebClient
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    bolt = App(signing_secret=SECRET, client=WebClient(token=TOKEN, base_url=api_url))

    @bolt.command("/council")
    def council(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text=FIXED_TEXT, response_type="ephemeral")

    @bolt.event("app_mention")
    def mention(event: dict[str, Any], say: Say) -> None:
        say(text=FIXED_TEXT, thread_ts=event["ts"])

    async def events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(bolt.dispatch, bolt_request))

    app = Starlette(routes=[Route("/slack/events", events, methods=["POST"]),
                            Route("/healthz", lambda _r: Response("ok"), methods=["GET"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- the load generator ------------------------------------------------------------------------------


@dataclass
class Level:
    """One level's samples for one kind of request (seconds)."""

    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    busy: int = 0
    elapsed: float = 0.0
    cpu: float = 0.0  # CPU seconds the server used for the level (acknowledging and answering)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command_request(receiver: str, run: str, n: int) -> tuple[str, str, str]:
    key = f"/response/{run}-{n}"
    body = urlencode({
        "token": "x", "team_id": "T0BENCH01", "team_domain": "bench", "channel_id": "C0BENCH01",
        "channel_name": "bench", "user_id": "U0BENCH01", "user_name": "bench", "command": "/council",
        "text": "Harrow", "api_app_id": "A0BROKER1", "response_url": receiver + key,
        "trigger_id": f"{run}-{n}.1.bench",
    })
    return key, body, "application/x-www-form-urlencoded"


def mention_request(run: str, n: int) -> tuple[str, str, str]:
    ts = f"{1_700_000_000 + n}.{zlib.crc32(run.encode()) % 1_000_000:06d}"
    event = {"type": "app_mention", "user": "U0BENCH01", "text": f"<@{BOT_USER_ID}> council Harrow", "ts": ts,
             "channel": "C0BENCH01", "event_ts": ts}
    body = json.dumps({"token": "x", "team_id": "T0BENCH01", "api_app_id": "A0BROKER1", "type": "event_callback",
                       "event_id": f"Ev{run}{n}", "event_time": 1_700_000_000, "event": event,
                       "authorizations": [{"team_id": "T0BENCH01", "user_id": BOT_USER_ID, "is_bot": True}]})
    return f"/thread/{ts}", body, "application/json"


async def run_level(url: str, receiver: Receiver, receiver_url: str, run: str, kind: str, concurrency: int,
                    total: int) -> Level:
    """`concurrency` clients, each sending its next request once the previous one is answered."""
    level = Level()
    numbers = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def one_client() -> None:
            for n in numbers:
                key, body, content_type = (command_request(receiver_url, run, n) if kind == "command"
                                           else mention_request(run, n))
                headers = {"Content-Type": content_type, **signed_headers(SECRET, body)}
                answered = receiver.expect(key)
                began = time.monotonic()
                response = await client.post("/slack/events", content=body, headers=headers)
                level.acks.append(time.monotonic() - began)
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
                if response.content and kind == "command":
                    level.busy += 1  # refused as busy in the acknowledgement: no answer follows
                    receiver.waiting.pop(key, None)
                    continue
                try:
                    level.answers.append(await asyncio.wait_for(answered, ANSWER_TIMEOUT) - began)
                except TimeoutError:
                    raise RuntimeError(f"no answer to {key} within {ANSWER_TIMEOUT:.0f} s") from None

        started = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        level.elapsed = time.monotonic() - started
    return level


async def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=1) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))] * 1000


def figures(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    return {"p50": percentile(samples, 50), "p95": percentile(samples, 95), "p99": percentile(samples, 99)}


def show(samples: list[float]) -> str:
    f = figures(samples)
    return f"p50 {f['p50']:7.1f}  p95 {f['p95']:7.1f}  p99 {f['p99']:7.1f} ms"


Results = dict[tuple[str, int], Level]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str


def start_server(name: str, command: list[str], env: dict[str, str], port: int) -> Server:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Server(name, process, f"http://127.0.0.1:{port}")


def stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.process.kill()


async def measure(servers: list[Server], receiver: Receiver, receiver_url: str) -> dict[str, Results]:
    """Every level for each server in turn (ours, then the floor, then the next level), so a
    change in the machine's load falls on both alike."""
    results: dict[str, Results] = {server.name: {} for server in servers}
    for server in servers:
        await wait_until_up(server.url + "/healthz", server.process)
        for kind in ("command", "mention"):
            await run_level(server.url, receiver, receiver_url, f"{server.name}-warm", kind, 1, WARMUP)
    for level in LEVELS:
        for kind, counts in (("command", COMMANDS), ("mention", MENTIONS)):
            for server in servers:
                cpu_before = cpu_seconds(server.process.pid)
                result = await run_level(server.url, receiver, receiver_url, f"{server.name}-{kind}-{level}", kind,
                                         level, counts[level])
                result.cpu = cpu_seconds(server.process.pid) - cpu_before
                results[server.name][(kind, level)] = result
                print(f"{server.name:<4} {kind:<7} c={level:<3} n={counts[level]:<4} ack {show(result.acks)}   "
                      f"answer {show(result.answers)}   {len(result.answers) / result.elapsed:6.1f} answers/s   "
                      f"server CPU {result.cpu / counts[level] * 1000:5.1f} ms/request"
                      + (f"   busy {result.busy}" if result.busy else ""), flush=True)
    return results


def ratio(ours: list[float], bare: list[float], q: str) -> float:
    return figures(ours)[q] / figures(bare)[q]


@contextlib.asynccontextmanager
async def served(receiver: Receiver) -> AsyncIterator[str]:
    """Serve `receiver` (standing in for Slack) in this event loop while the block runs; its URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(receiver, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


def bot_env(database: Path, receiver_url: str, port: int) -> dict[str, str]:
    """`python -m bot serve` on `database` at `port`, calling the receiver as Slack's Web API."""
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": receiver_url + "/api/", "SLACK_APP_TOKEN": "",
            "SCHEDULER_ENABLED": "false", "HOST": "127.0.0.1", "PORT": str(port)}


async def both(database: Path) -> tuple[Results, Results]:
    """Our server and the bare app, answering to one receiver served in this event loop."""
    receiver = Receiver()
    ours_port, bare_port = free_port(), free_port()
    async with served(receiver) as receiver_url:
        servers = [start_server("ours", [sys.executable, "-m", "bot", "serve"],
                                bot_env(database, receiver_url, ours_port), ours_port),
                   start_server("bare", [sys.executable, __file__, "--serve-bare", str(bare_port),
                                         "--api-url", receiver_url + "/api/"], dict(os.environ), bare_port)]
        try:
            results = await measure(servers, receiver, receiver_url)
        finally:
            for running in servers:
                stop_server(running)
    return results["ours"], results["bare"]


def main() -> int:
    from bot.bootstrap import open_database
    from bot.config import Settings

    print(f"Signed /council Harrow commands and '@bot council Harrow' mentions; each client sends its next "
          f"request once the last is answered; {os.cpu_count()} CPUs; loopback; load average "
          f"{os.getloadavg()[0]:.2f} at start.", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        open_database(Settings(database_url=f"sqlite:///{template}")).dispose()
        database = Path(tmp) / "bench.db"
        shutil.copy(template, database)
        ours, bare = asyncio.run(both(database))
    print("\nRatio ours / bare (1.0 = as fast as the floor):")
    for kind in ("command", "mention"):
        for level in LEVELS:
            o, b = ours[(kind, level)], bare[(kind, level)]
            print(f"  {kind:<7} c={level:<3} ack p50 x{ratio(o.acks, b.acks, 'p50'):5.2f}  "
                  f"p99 x{ratio(o.acks, b.acks, 'p99'):5.2f}    answer p50 x{ratio(o.answers, b.answers, 'p50'):5.2f}  "
                  f"p95 x{ratio(o.answers, b.answers, 'p95'):5.2f}  p99 x{ratio(o.answers, b.answers, 'p99'):5.2f}")
    o, b = ours[("command", TARGET_LEVEL)], bare[("command", TARGET_LEVEL)]
    targets = [("answer p99", ratio(o.answers, b.answers, "p99")),
               ("acknowledgement p99", ratio(o.acks, b.acks, "p99"))]
    print("\nServer CPU per request (ms; ours / bare):")
    for kind, counts in (("command", COMMANDS), ("mention", MENTIONS)):
        print("  " + kind + "  " + "   ".join(
            f"c={level}: {ours[(kind, level)].cpu / counts[level] * 1000:5.1f} / "
            f"{bare[(kind, level)].cpu / counts[level] * 1000:4.1f}" for level in LEVELS))
    print(f"\nTargets (/council Harrow at {TARGET_LEVEL} clients, ratio ours / bare):")
    for what, measured in targets:
        verdict = "met" if measured <= TARGET_RATIO else "NOT met"
        print(f"  {what:<20} target <= x{TARGET_RATIO:.2f}   measured x{measured:5.2f}   {verdict}")
    print(f"Load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve-bare", type=int, metavar="PORT")
    parser.add_argument("--api-url")
    options = parser.parse_args()
    if options.serve_bare:
        serve_bare(options.serve_bare, options.api_url)
    else:
        raise SystemExit(main())
