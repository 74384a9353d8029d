"""How long does a clean strict build of the site take?

Run from the repository root, preferably on a machine doing nothing else:

    python benchmarks/build_time.py             # 2 builds: about 2 minutes on 2 cores
    python benchmarks/build_time.py --rounds 3

Each round builds the book as the README's first command does on a fresh checkout
(``jupyter-book build . -W -n --keep-going``, every notebook executed, into an empty folder) and
prints: the build's wall-clock seconds; from the build's log, how long after they started the
notebooks' runs ended and the CPU seconds their workers and kernels used
(_ext/parallel_execution.py); and the machine's load average before and after, since a busy
machine slows the build. The median of the rounds comes last.

There is no target: a clean build of about a minute on two cores is fine. This is a benchmark,
not a test: it asserts only that every build succeeds.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load():
    try:
        return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except (AttributeError, OSError):  # not on Unix
        return "load unknown"


def build():
    """One clean strict build; returns (wall seconds, notebooks' seconds, notebooks' CPU seconds)."""
    exe = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory(prefix="bplib-build-") as out:
        start = time.perf_counter()
        result = subprocess.run([str(exe), "build", str(ROOT), "--path-output", out, "-W", "-n",
                                 "--keep-going"], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"the build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    notebooks = re.search(r"notebooks executed: (\d+) s after the runs started, (\d+) s of CPU",
                          result.stdout + result.stderr)
    if notebooks is None:
        return seconds, float("nan"), float("nan")
    return seconds, int(notebooks.group(1)), int(notebooks.group(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores, {args.rounds} clean strict builds; each line: wall seconds, then the "
          f"notebooks' runs (seconds from their start to the last one's end, CPU seconds)")
    times = []
    for i in range(args.rounds):
        before = load()
        seconds, window, cpu = build()
        times.append(seconds)
        print(f"build {i + 1}: {seconds:.1f} s wall; notebooks {window} s, {cpu} s CPU "
              f"({before} before, {load()} after)", flush=True)
    print(f"median: {statistics.median(times):.1f} s")


if __name__ == "__main__":
    main()
