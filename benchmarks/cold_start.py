"""Cold-start time of `python -m bot ask "/council Harrow"`: on an empty database (migrate + seed
+ answer) and on an already seeded one. Prints median, min and max over several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("COLD_START_RUNS", "5"))
ROOT = Path(__file__).resolve().parents[1]


def timed_ask(database: Path) -> float:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "/council Harrow"],
        check=True, capture_output=True, env=env, cwd=ROOT,
    )
    return time.perf_counter() - started


def summary(label: str, samples: list[float]) -> str:
    return (f"{label:<28} median {statistics.median(samples) * 1000:7.0f} ms   "
            f"min {min(samples) * 1000:7.0f} ms   max {max(samples) * 1000:7.0f} ms   (n={len(samples)})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = [timed_ask(Path(tmp) / f"empty-{i}.db") for i in range(RUNS)]
        seeded_db = Path(tmp) / "empty-0.db"
        seeded = [timed_ask(seeded_db) for _ in range(RUNS)]
    print("Cold start of `python -m bot ask \"/council Harrow\"`")
    print(summary("empty database (first run)", empty))
    print(summary("seeded database", seeded))


if __name__ == "__main__":
    main()
