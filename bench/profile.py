"""Where a scenario's time goes, in-process on the benchmark's working copy (build it first with
`make bench`):

    python -m bench.profile catalogue_list            # time, SQL time, the slowest queries
    python -m bench.profile catalogue_list --python   # cProfile of the Python side

Times here include the test client's own cost; compare them with each other, not with the HTTP
figures of `make bench`."""

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import time

from bench.run import OUT


class LocalClient:
    """The benchmark's client interface over Django's test client."""

    def __init__(self, port, cookie=None, token=None):
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        # One handler for every client, as a server worker has: middleware (WhiteNoise scans the
        # static tree) is set up once, not once per client.
        LocalClient.handler = getattr(LocalClient, "handler", None) or self.client.handler
        self.client.handler = LocalClient.handler
        if cookie:
            self.client.cookies["sessionid"] = cookie
        self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}

    def get(self, path):
        response = self.client.get(path, **self.headers)
        return response.status_code, 0, response.content

    def post_json(self, path, payload):
        response = self.client.post(path, json.dumps(payload), content_type="application/json", **self.headers)
        return response.status_code, 0, response.content


def setup():
    """Django on the benchmark's working copy (BENCH_WORK_URL for PostgreSQL's), with the
    server's settings: DEBUG off, connections kept open."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="shiraka.settings",
        DATABASE_URL=os.environ.get("BENCH_WORK_URL", f"sqlite:///{OUT / 'work.sqlite3'}"),
        DEBUG="false",
        SECRET_KEY="profile-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        DB_CONN_MAX_AGE="600",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario")
    parser.add_argument("--python", action="store_true")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from bench import measure, pools

    calls = pools.scenarios(0, random.Random(1), args.requests + 10, LocalClient, measure._session, measure._token)[
        args.scenario
    ]
    for call in calls[:10]:
        call()
    if args.python:
        profiler = cProfile.Profile()
        profiler.enable()
        for call in calls[10:]:
            call()
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
        stats.print_stats(int(os.environ.get("PROFILE_ROWS", "30")))
        return
    queries, totals, sql_times = [], [], []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(timed):
        for call in calls[10:]:
            mark = len(queries)
            started = time.perf_counter()
            call()
            totals.append((time.perf_counter() - started) * 1000)
            sql_times.append(sum(q[0] for q in queries[mark:]) * 1000)
    total, sql = statistics.median(totals), statistics.median(sql_times)
    print(f"{args.scenario}: p50 {total:.1f} ms, of which SQL {sql:.1f} ms")
    shown = set()
    for seconds, sql, params in sorted(queries, key=lambda q: -q[0]):
        if sql[:100] not in shown and len(shown) < 6:
            shown.add(sql[:100])
            print(f"  {seconds * 1000:7.1f} ms  {sql[:400]}  {str(params)[:120]}")


if __name__ == "__main__":
    main()
