"""How much of each scenario's time over HTTP the app itself takes, and how much goes outside it:
gunicorn, the socket and the measuring client. Against gunicorn serving the benchmark's working
copy as `make bench` does (build it first with `make bench`; BENCH_DATABASE_URL for PostgreSQL's):

    python -m bench.outside floor,people_search,focal_point_nominations [--requests 150]

The app's time is what it reports in each response (bench.timed_wsgi); "outside" is the median
of each request's difference. Scenarios are interleaved as make bench does."""

import argparse
import random
import statistics

from bench import measure, run


class TimedClient(measure.Client):
    last_app_ms = None

    def received(self, response):
        TimedClient.last_app_ms = int(response.getheader("X-App-Us")) / 1000


def interleaved(plan, requests, rng):
    """{name: [(total ms, app ms, bytes)]}, measured as make bench measures (measure.interleaved)."""
    found = {name: [] for name in plan}
    for name, elapsed, (_status, _count, body) in measure.interleaved(plan, requests, rng):
        found[name].append((elapsed, TimedClient.last_app_ms, len(body)))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios")
    parser.add_argument("--requests", type=int, default=150)
    args = parser.parse_args()
    env = run.measuring(run.Store(1.0, 2026).work_url)
    from bench import pools

    server = measure.Server(env, app="bench.timed_wsgi:application")
    try:
        plan = pools.scenarios(server.port, random.Random(2026), args.requests + measure.WARM_UP, TimedClient,
                               measure._session, measure._token)  # fmt: skip
        found = interleaved({name: plan[name] for name in args.scenarios.split(",")}, args.requests, random.Random(7))
    finally:
        server.stop()
    for name, rows in found.items():
        total, app, size = (statistics.median(column) for column in zip(*rows, strict=True))
        outside = statistics.median(t - a for t, a, _ in rows)
        print(f"{name:<26} total {total:6.2f} ms   app {app:6.2f}   outside {outside:5.2f}   {size / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
