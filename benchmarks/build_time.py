"""How long does a clean strict build of the site take, with kernels forked and without?

Run from the repository root, on a machine doing nothing else:

    python benchmarks/build_time.py             # 2 rounds: about 4 minutes on 2 cores
    python benchmarks/build_time.py --rounds 3

Each round builds the book twice, as the README's first command does on a fresh checkout
(``jupyter-book build . -W -n --keep-going``, every notebook executed, into an empty folder):
once as configured, every kernel forked from a process that has imported ipykernel, numpy and
matplotlib (_ext/forked_kernels.py), and once with ``BPLIB_FORK_KERNELS=0``, every kernel a new
interpreter. The two alternate, so a machine that slows down during the run slows both.

Target: the configured build under 60 s on a quiet 2-core machine (issue 11).
This is a benchmark, not a test: it asserts only that every build succeeds.
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
TARGET_SECONDS = 60.0


def build(fork):
    env = dict(os.environ, BPLIB_FORK_KERNELS="1" if fork else "0")
    exe = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory(prefix="bplib-build-") as out:
        start = time.perf_counter()
        result = subprocess.run([str(exe), "build", str(ROOT), "--path-output", out, "-W", "-n",
                                 "--keep-going"], capture_output=True, text=True, env=env, cwd=ROOT)
        seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"the build failed (fork={fork}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    notebooks = re.search(r"notebooks executed: (\d+) s after the runs started, (\d+) s of CPU",
                          result.stdout + result.stderr)
    return seconds, (int(notebooks.group(2)) if notebooks else float("nan"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores, {args.rounds} rounds; each line: wall seconds, notebooks' CPU seconds")
    times = {True: [], False: []}
    for i in range(args.rounds):
        for fork in (True, False):
            seconds, cpu = build(fork)
            times[fork].append(seconds)
            print(f"round {i + 1}, kernels {'forked' if fork else 'new interpreters'}: "
                  f"{seconds:.1f} s wall, notebooks {cpu} s CPU", flush=True)
    forked, fresh = statistics.median(times[True]), statistics.median(times[False])
    print(f"median: forked {forked:.1f} s, new interpreters {fresh:.1f} s, ratio {forked / fresh:.2f}")
    print(f"target: forked under {TARGET_SECONDS:.0f} s on a quiet 2-core machine: "
          f"{'met' if forked < TARGET_SECONDS else 'NOT met'} ({forked:.1f} s)")


if __name__ == "__main__":
    main()
