"""The scenarios of the benchmark, measured over HTTP against gunicorn serving the working copy."""

import contextlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 20
ROUND_TRIPS = 2000
ARABIC_QUERIES = [
    "الامن البحري", "ادارة الازمات", "الدفاع السيبرانى", "اساسيات", "التعاون الاقليمي", "مكافحه الارهاب",
    "الاتصال الاستراتيجي", "امن الطاقه", "الدروس المستفاده", "الطب العسكرى", "بناء النزاهه", "تمرين منضدي",
    "القانون الدولى", "كبار القاده", "اعداد المدربين", "الحد من التسلح", "الطوارئ المدنيه", "الكويت",
]  # fmt: skip


class Server:
    def __init__(self, env, app="shiraka.wsgi"):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**env, "QUERY_COUNT_HEADER": "1", "DB_CONN_MAX_AGE": "600"}
        # One thread a worker (BENCH_THREADS): each worker then keeps one database connection,
        # whose pages stay warm, and a rush of nominations waits in the backlog rather than on
        # SQLite's write lock (177 nominations a second against 130 with four threads).
        threads = os.environ.get("BENCH_THREADS", "1")
        self.process = subprocess.Popen(
            [str(Path(os.sys.executable).with_name("gunicorn")), app, "-w", "2", "-k", "gthread",
             "--threads", threads, "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "--backlog", "1024"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        for _ in range(100):
            try:
                if Client(self.port).get("/en/about/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Client:
    """One keep-alive connection; each call answers (status, query count, body)."""

    def __init__(self, port, cookie=None, token=None):
        self.port, self.headers = port, {"Host": "127.0.0.1", "Accept-Language": "en"}
        if cookie:
            self.headers["Cookie"] = f"sessionid={cookie}"
        if token:
            self.headers["Authorization"] = f"Token {token}"
        self.connection = None

    def _send(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
                response = self.connection.getresponse()
                data = response.read()
                self.received(response)
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, int(response.getheader("X-Query-Count") or -1), data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def received(self, response):
        """What a client that reads more of each response (bench.outside) takes from it."""

    def get(self, path):
        return self._send("GET", path)

    def post_json(self, path, payload):
        return self._send("POST", path, json.dumps(payload), {"Content-Type": "application/json"})


def _session(user):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _token(user):
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def _percentile(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _summary(name, timings, queries, failures):
    result = {
        "p50_ms": round(_percentile(timings, 50), 2),
        "p95_ms": round(_percentile(timings, 95), 2),
        "queries": int(statistics.median(queries)),
        "requests": len(timings),
        "errors": failures,
    }
    print(f"  {name:<24} p50 {result['p50_ms']:>7.2f} ms  p95 {result['p95_ms']:>7.2f} ms  "
          f"queries {result['queries']:>3}  errors {failures}")  # fmt: skip
    return result


def measure(plan, requests, rng):
    """WARM_UP calls of each scenario, then `requests` rounds of one call of each, in an order
    shuffled every round; latency percentiles and query count by scenario.

    Interleaved, as Google Benchmark's random interleaving does: run one after another, each
    scenario met the machine in its own few seconds, and the floor, measured first in under a
    second, moved between 2.1 and 3.5 ms from run to run, so that every ratio to it did too."""
    timings = {name: [] for name in plan}
    queries = {name: [] for name in plan}
    failures = dict.fromkeys(plan, 0)
    for name, elapsed, (status, count, _body) in interleaved(plan, requests, rng):
        timings[name].append(elapsed)
        queries[name].append(count)
        failures[name] += status >= 400
    return {name: _summary(name, timings[name], queries[name], failures[name]) for name in plan}


def interleaved(plan, requests, rng):
    """WARM_UP calls of each scenario, then (name, milliseconds, what the call answered) for
    `requests` rounds of one call of each, in an order shuffled every round (see measure)."""
    for calls in plan.values():
        for call in calls[:WARM_UP]:
            call()
    names = list(plan)
    for index in range(requests):
        rng.shuffle(names)
        for name in names:
            calls = plan[name]
            call = calls[(WARM_UP + index) % len(calls)]
            started = time.perf_counter()
            answer = call()
            yield name, (time.perf_counter() - started) * 1000, answer


IDLE_DRIVER = Path("/sys/devices/system/cpu/cpuidle/current_driver")


def machine(vendor):
    """What the machine gives every page, for reading ratios across machines: its processors and,
    on PostgreSQL, the median round trip of a statement that does nothing (SELECT 1, prepared) and
    the server's shared_buffers. On a virtual machine whose idle processors halt, waking the
    server's process on the other processor cost 108 µs a round trip against 22-37 µs on the same
    one, and every statement of a page pays it. The processors' idle driver says which: with
    `haltpoll` a round trip measured 85-131 µs across sessions, on machines with none 34-65 µs."""
    found = {"cpus": os.cpu_count()}
    with contextlib.suppress(OSError):  # not Linux, or a kernel without cpuidle
        found["idle"] = IDLE_DRIVER.read_text().strip()
    if vendor == "postgresql":
        from django.db import connection

        connection.ensure_connection()
        raw = connection.connection
        timings = []
        for _ in range(ROUND_TRIPS):
            started = time.perf_counter()
            raw.execute("SELECT 1", prepare=True).fetchall()
            timings.append((time.perf_counter() - started) * 1e6)
        found["round_trip_us"] = round(statistics.median(timings), 1)
        found["shared_buffers"] = raw.execute("SHOW shared_buffers").fetchone()[0]
    return found


def run(env, vendor, info, args):
    from bench import pools

    server = Server(env)
    try:
        rng = random.Random(args.seed)
        size = max(args.requests, 50) + WARM_UP
        plan = pools.scenarios(server.port, rng, size, Client, _session, _token)
        wanted = {name for name in args.only.split(",") if name}
        results = measure({name: calls for name, calls in plan.items() if not wanted or name in wanted},
                          args.requests, random.Random(args.seed + 1))  # fmt: skip
        rush = None
        if not wanted or "rush" in wanted:
            from bench import rush as rush_module

            rush = rush_module.run(server.port, rng, args.rush, Client, _token)
    finally:
        server.stop()
    from nominations.models import Nomination
    from people.models import Person
    from training.models import Offering

    return {
        "dataset": {
            "offerings": Offering.objects.count(),
            "people": Person.objects.count(),
            "nominations": Nomination.objects.count(),
            "scale": info.get("scale"),
        },
        "database": vendor,
        "machine": machine(vendor),
        "scenarios": results,
        "rush": rush,
    }


def print_table(results):
    data = results["dataset"]
    print(f"\n{results['database']}: {data['offerings']:,} offerings, {data['people']:,} people, "
          f"{data['nominations']:,} nominations")  # fmt: skip
    found = results.get("machine") or {}
    if found:
        trip = f", a round trip to the database {found['round_trip_us']} µs" if "round_trip_us" in found else ""
        buffers = f", shared_buffers {found['shared_buffers']}" if "shared_buffers" in found else ""
        idle = f" (idle driver {found['idle']})" if "idle" in found else ""
        print(f"{found['cpus']} processors{idle}{trip}{buffers}")
    floor = results["scenarios"].get("floor", {}).get("p50_ms")
    print(f"{'scenario':<26}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'× floor':>9}{'errors':>8}")
    for name, row in results["scenarios"].items():
        ratio = f"{row['p50_ms'] / floor:.2f}" if floor else "-"
        print(f"{name:<26}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}{row['queries']:>9}{ratio:>9}{row['errors']:>8}")
    if results.get("rush"):
        rush = results["rush"]
        print(f"{'rush':<26}{rush['per_second']:>9.1f}/s  requests {rush['requests']}  in flight {rush['clients']}  "
              f"lost {rush['lost']}  overfilled {rush['overfilled']}")  # fmt: skip
