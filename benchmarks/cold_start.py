"""Cold-start time of `python -m bot ask "/council Harrow"`: on an empty database (migrate + seed +
answer) and on an already seeded one, each a new process. Prints median, min and max over several
runs beside the targets, and the interpreter's own start-up for scale. The CPU time each process
used (user + system) is printed too: on a busy machine the wall-clock figures grow with the load,
the CPU times much less.

The project's modules are byte-compiled first (`compileall`, as `pip install` does), so the
figures do not include compiling source: with PYTHONDONTWRITEBYTECODE set and no .pyc files,
every start would compile about a hundred modules again. `--no-compile` measures that case.

`import storage.tables` (SQLAlchemy, SQLModel and the table definitions, none of the bot's own
code) is printed as the floor under any command that reads the database.

    .venv/bin/python benchmarks/cold_start.py [--no-compile]     # COLD_START_RUNS=5
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("COLD_START_RUNS", "5"))
ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"empty": 1.5, "seeded": 0.4}  # seconds, median


Sample = tuple[float, float]  # (wall-clock seconds, CPU seconds) of one process


def timed(args: list[str], env: dict[str, str]) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_ask(database: Path) -> Sample:
    return timed(["-m", "bot", "ask", "/council Harrow"], {**os.environ, "DATABASE_URL": f"sqlite:///{database}"})


def summary(label: str, samples: list[Sample], target: float | None = None) -> str:
    walls = [wall for wall, _ in samples]
    median = statistics.median(walls)
    line = (f"{label:<28} median {median * 1000:6.0f} ms   min {min(walls) * 1000:6.0f} ms   "
            f"max {max(walls) * 1000:6.0f} ms   CPU median {statistics.median(c for _, c in samples) * 1000:6.0f} ms "
            f"(n={len(samples)})")
    if target is not None:
        line += f"   target < {target * 1000:.0f} ms: {'met' if median < target else 'NOT met'}"
    return line


def main(compile_first: bool) -> None:
    if compile_first:
        compileall.compile_dir(ROOT / "bot", quiet=1)
        compileall.compile_dir(ROOT / "storage", quiet=1)
    interpreter = [timed(["-c", "pass"], dict(os.environ)) for _ in range(RUNS)]
    # The floor under any command that reads the database: importing SQLAlchemy, SQLModel and the
    # table definitions, and nothing of the bot's own.
    tables = [timed(["-c", "import storage.tables"], dict(os.environ)) for _ in range(RUNS)]
    with tempfile.TemporaryDirectory() as tmp:
        empty = [timed_ask(Path(tmp) / f"empty-{i}.db") for i in range(RUNS)]
        seeded_db = Path(tmp) / "empty-0.db"
        seeded = [timed_ask(seeded_db) for _ in range(RUNS)]
    print(f"Cold start of `python -m bot ask \"/council Harrow\"` ({os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}; project modules {'byte-compiled' if compile_first else 'as found'})")
    print(summary("python -c pass", interpreter))
    print(summary("import storage.tables", tables))
    print(summary("empty database (first run)", empty, TARGETS["empty"]))
    print(summary("seeded database", seeded, TARGETS["seeded"]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-compile", action="store_true", help="do not byte-compile the project first")
    main(not parser.parse_args().no_compile)
