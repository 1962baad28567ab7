"""Where a scenario's time goes, sampled by py-spy: the share of its requests' samples that each
function was on the stack for. In process, on the benchmark's working copy (build it first with
`make bench`; BENCH_WORK_URL for PostgreSQL's):

    python -m bench.spy focal_point_nominations [--requests 2000] [--rows 60] [--match render]

Sampling does not slow the functions it looks at, as cProfile does those that make many small
calls, so the shares hold for the real run. The warm-up's samples (the first translations read,
the first statements prepared) are left out. The raw samples stay in var/bench/spy-SCENARIO.txt."""

import argparse
import collections
import random
import shutil
import subprocess
import sys
from pathlib import Path

from bench.run import OUT

WARM_UP = 20


def _measured(calls):
    for call in calls:
        call()


def _run(scenario, requests):
    """The child py-spy samples: the scenario's warm-up, then its measured requests."""
    from bench import profile

    profile.setup()
    from bench import measure, pools

    size, rng = requests + WARM_UP, random.Random(1)
    calls = pools.scenarios(0, rng, size, profile.LocalClient, measure._session, measure._token)[scenario]
    for call in calls[:WARM_UP]:
        call()
    _measured(calls[WARM_UP:])


def _function(frame):
    """'name (path/file.py:line)' → 'name (file.py)': a function's lines counted as one."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit('/', 1)[-1].split(':', 1)[0].rstrip(')')})" if where else name


def shares(lines, within="_measured"):
    """From py-spy's raw output (a stack of frames joined by ';', then its count), each
    function's share of the samples whose stack passes through `within`, counted once a sample
    however deep it recurses; largest first. Only the functions `within` calls are named."""
    seen, total = collections.Counter(), 0
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        frames = [_function(frame) for frame in stack.split(";")]
        starts = [i for i, frame in enumerate(frames) if frame.startswith(within + " ")]
        if not starts:
            continue
        total += int(count)
        for function in set(frames[starts[0] + 1 :]):
            seen[function] += int(count)
    return [(count / total, function) for function, count in seen.most_common()] if total else []


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--match", default="", help="show only functions whose name holds this")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run(args.scenario, args.requests)
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = OUT / f"spy-{args.scenario}.txt"
    child = [sys.executable, "-m", "bench.spy", args.scenario, "--requests", str(args.requests), "--child"]
    subprocess.run([spy, "record", "--rate", "1000", "--format", "raw", "--output", str(out), "--", *child], check=True)
    found = shares(out.read_text().splitlines())
    if not found:  # py-spy ends well even when the process it samples fails
        sys.exit(f"No sample of {args.scenario}'s measured requests: see the error above.")
    shown = [(share, function) for share, function in found if args.match in function]
    for share, function in shown[: args.rows]:
        print(f"{share * 100:6.1f}%  {function}")


if __name__ == "__main__":
    main()
