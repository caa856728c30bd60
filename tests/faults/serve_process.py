"""A real `python -m bot serve` process for the fault suite, and the tools to attack it: raw
streamed uploads (no HTTP client buffering in the way) and the process's memory from /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeProcess:
    """`python -m bot serve` on a free loopback port with the given environment overrides."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        full_env = {**os.environ, "PORT": str(self.port), "HOST": "127.0.0.1", "SLACK_APP_TOKEN": "",
                    "SCHEDULER_ENABLED": "false", **env}
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=full_env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.base = f"http://127.0.0.1:{self.port}"
        self.output = ""

    def wait_healthy(self, timeout: float = 60) -> ServeProcess:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server did not start:\n{self.output[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.output, _ = self.process.communicate(timeout=30)
        return self.output

    def memory_kib(self) -> dict[str, int]:
        """VmRSS (now) and VmHWM (peak since the last :meth:`reset_peak`), in KiB."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in {"VmRSS", "VmHWM"}:
                fields[name] = int(value.split()[0])
        return fields

    def reset_peak(self) -> bool:
        """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs); False if not allowed."""
        try:
            Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True


def stream_post(port: int, path: str, total_bytes: int, *, declare_length: bool,
                chunk_bytes: int = 256 * 1024, timeout: float = 60) -> tuple[int | None, int]:
    """POST `total_bytes` of JSON-ish filler to `path` in chunks, with a Content-Length header or
    chunked transfer encoding, reading the answer while sending. Stops sending once an answer has
    arrived or the server closes the connection. Returns (status or None, body bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {total_bytes}\r\n" if declare_length else "Transfer-Encoding: chunked\r\n"
    answer = bytearray()
    answered = threading.Event()

    def read() -> None:
        try:
            while data := sock.recv(65536):
                answer.extend(data)
                if b"\r\n\r\n" in answer:
                    answered.set()
        except OSError:
            pass
        answered.set()

    reader = threading.Thread(target=read, daemon=True)
    sent = 0
    chunk = b"[" + b"1," * (chunk_bytes // 2 - 1) + b"1"
    try:
        sock.sendall(head.encode() + b"\r\n")
        reader.start()
        while sent < total_bytes and not answered.is_set():
            piece = chunk[: total_bytes - sent]
            framed = piece if declare_length else f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            sock.sendall(framed)
            sent += len(piece)
        if not declare_length and not answered.is_set():
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection on us: its answer (if any) is already in flight
    answered.wait(timeout)
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # only the status line matters; do not wait for keep-alive
    reader.join(timeout=5)
    sock.close()
    status_line = bytes(answer).split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
    return status, sent
