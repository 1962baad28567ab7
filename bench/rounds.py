"""A steadier figure than one `make bench` run for comparing two versions of the code: each
scenario's requests, in process on the benchmark's working copy (build it first with
`make bench`), in several rounds, reported as the median of the rounds' medians and their spread.

    python -m bench.rounds catalogue_search_ar people_search [--rounds 6] [--requests 50]

On a machine whose caches and clock move under it, single runs of the same code differed by
15 % and more; the median of rounds moved by a few per cent. Compare versions back to back, in
the same state of the machine, and read figures against each other, not against make bench's."""

import argparse
import random
import statistics
import time

from bench.profile import LocalClient, setup


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup()
    from bench import measure, pools

    # nomination_submit cannot send a request twice: every round gets requests of its own.
    size = args.requests * args.rounds + measure.WARM_UP
    plan = pools.scenarios(0, random.Random(1), size, LocalClient, measure._session, measure._token)
    for name in args.scenarios:
        calls = plan[name]
        for call in calls[: measure.WARM_UP]:
            call()
        medians, errors = [], 0
        for round_ in range(args.rounds):
            first = measure.WARM_UP + (round_ * args.requests if name == "nomination_submit" else 0)
            times = []
            for call in calls[first : first + args.requests]:
                started = time.perf_counter()
                errors += call()[0] >= 400
                times.append((time.perf_counter() - started) * 1000)
            medians.append(statistics.median(times))
        spread = f"{min(medians):.2f}–{max(medians):.2f}"
        print(f"{name:<24} {statistics.median(medians):7.2f} ms  (rounds {spread})  errors {errors}")


if __name__ == "__main__":
    main()
