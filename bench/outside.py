"""How much of each scenario's time over HTTP the app itself takes, and how much goes outside it:
gunicorn, the socket and the measuring client. Against gunicorn serving the benchmark's working
copy as `make bench` does (build it first with `make bench`; BENCH_DATABASE_URL for PostgreSQL's):

    python -m bench.outside floor,people_search,focal_point_nominations [--requests 150]

The app's time is what it reports in each response (bench.timed_wsgi); "outside" is the median
of each request's difference. Scenarios are interleaved as make bench does."""

import argparse
import os
import random
import statistics
import time

from bench import measure, run


class TimedClient(measure.Client):
    last_app_ms = None

    def received(self, response):
        TimedClient.last_app_ms = int(response.getheader("X-App-Us")) / 1000


def interleaved(plan, requests, rng):
    """{name: [(total ms, app ms, bytes)]}: each scenario's warm-up, then `requests` rounds of one
    call of each in an order shuffled every round."""
    for calls in plan.values():
        for call in calls[: measure.WARM_UP]:
            call()
    names, found = list(plan), {name: [] for name in plan}
    for index in range(requests):
        rng.shuffle(names)
        for name in names:
            calls = plan[name]
            started = time.perf_counter()
            _status, _count, body = calls[(measure.WARM_UP + index) % len(calls)]()
            found[name].append(((time.perf_counter() - started) * 1000, TimedClient.last_app_ms, len(body)))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios")
    parser.add_argument("--requests", type=int, default=150)
    args = parser.parse_args()
    store = run.Store(1.0, 2026)
    env = run._env(store.work_url)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECRET_KEY",
                                           "ALLOWED_HOSTS", "SHIRAKA_VAR_DIR")})  # fmt: skip
    import django

    django.setup()
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
