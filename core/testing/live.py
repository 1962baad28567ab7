"""A real server (gunicorn) against a fresh database, for tests and benchmarks that need one.

    with live_server(tmp_path) as live:
        made = live.seed({"nations": ["KWT"], "people_per_nation": 5, "offerings": [...]})
        status, body = call(live.base_url, "POST", "/api/v1/nominations/", token=..., body={...})
        rows = live.database.query("SELECT status, COUNT(*) FROM nominations_nomination GROUP BY status")

The database is made for the occasion and is not the one pytest-django gives the tests: a
SQLite file under the given directory, or, when the calling process runs on PostgreSQL (or
`vendor="postgresql"` is asked for), a new database on the same server, dropped afterwards.
It is migrated and seeded by `manage.py` in subprocesses with the same environment the server
gets, so what the server sees is exactly what was made.

Nothing here imports Django at module level: worker processes started with "spawn" import this
module to fire requests and need nothing else.
"""

import contextlib
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

BASE_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
STARTUP_SECONDS = 40


class ServerDidNotStart(RuntimeError):
    """gunicorn is missing or did not answer; the message carries the end of its log."""


# --- the database -----------------------------------------------------------------------------


@dataclass
class Database:
    """A database made for one live server. `query` and `execute` take SQL with %s placeholders
    on either vendor, each in a connection of its own."""

    vendor: str
    url: str
    path: Path | None = None  # SQLite
    conninfo: dict = field(default_factory=dict)  # PostgreSQL: host, port, user, password, dbname

    def query(self, sql, params=()):
        """Rows of one statement, run in its own connection (closed afterwards)."""
        if self.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
                return conn.execute(sql.replace("%s", "?"), tuple(params)).fetchall()
        import psycopg

        with psycopg.connect(**self.conninfo, autocommit=True) as conn, conn.cursor() as cursor:
            cursor.execute(sql, tuple(params))
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql, params=()):
        return self.query(sql, params)[0][0]

    def execute(self, sql, params=()):
        """Run one statement that changes data and commit it; answers the number of rows changed."""
        if self.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn, conn:
                return conn.execute(sql.replace("%s", "?"), tuple(params)).rowcount
        import psycopg

        with psycopg.connect(**self.conninfo, autocommit=True) as conn, conn.cursor() as cursor:
            cursor.execute(sql, tuple(params))
            return cursor.rowcount


def _postgres_server():
    """Connection parameters of the PostgreSQL server the calling Django process uses (or, in a
    plain script, the one DATABASE_URL names)."""
    try:
        from django.db import connection

        s = connection.settings_dict
    except Exception:  # no Django settings: a plain script
        import dj_database_url

        s = dj_database_url.parse(os.environ["DATABASE_URL"])
    params = {"host": s.get("HOST") or "127.0.0.1", "port": int(s.get("PORT") or 5432), "user": s.get("USER") or ""}
    if s.get("PASSWORD"):
        params["password"] = s["PASSWORD"]
    return params


def _vendor_of_caller():
    """The vendor of the calling process's default database, or "sqlite" without Django settings."""
    try:
        from django.db import connection

        return connection.vendor
    except Exception:  # no settings configured: a plain script
        return "sqlite"


@contextlib.contextmanager
def fresh_database(directory, vendor=None):
    """A new, empty database: a SQLite file under `directory`, or a PostgreSQL database with a
    unique name on the caller's server, dropped (with its connections) on the way out."""
    vendor = vendor or _vendor_of_caller()
    if vendor == "sqlite":
        path = Path(directory).resolve() / "live.sqlite3"
        yield Database(vendor="sqlite", url=f"sqlite:///{path}", path=path)
        return
    if vendor != "postgresql":
        raise ValueError(f"no live database for vendor {vendor!r}")
    import psycopg

    server = _postgres_server()
    name = f"shiraka_live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = quote(server["user"])
    if "password" in server:
        auth += ":" + quote(server["password"])
    url = f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    try:
        yield Database(vendor="postgresql", url=url, conninfo={**server, "dbname": name})
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the server -------------------------------------------------------------------------------


@dataclass
class LiveServer:
    base_url: str
    database: Database
    env: dict
    log_path: Path
    process: subprocess.Popen
    seeded: dict | None = None

    def seed(self, spec):
        """Make users with tokens, people and open offerings (see `seed`); answers their ids."""
        return manage_python(self.env, "from core.testing.live import _seed_from_stdin; _seed_from_stdin()", spec)

    def log(self):
        return self.log_path.read_text(errors="replace")


def server_env(database, directory, extra=None):
    """The environment of the server and of its manage.py commands."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shiraka.settings",
        "DATABASE_URL": database.url,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SHIRAKA_VAR_DIR": str(Path(directory).resolve() / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("EMAIL_HOST", None)
    env.update(extra or {})
    return env


def manage(env, *args, timeout=300):
    """Run `manage.py args` with `env`; raise with its output if it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def manage_python(env, code, payload=None, timeout=300):
    """Run `code` in a Python process set up for Django with `env`, JSON `payload` on its stdin;
    answers the JSON it prints last."""
    script = f"import django; django.setup(); {code}"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"python -c failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def live_server(directory, *, vendor=None, workers=2, threads=8, env=None, seed=None):
    """gunicorn (gthread) on a free port of 127.0.0.1, against a fresh, migrated database.

    Yields a `LiveServer`; with `seed`, its `seeded` attribute holds what `seed(spec)` answered.
    Raises `ServerDidNotStart` if gunicorn is missing or never answers."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with fresh_database(directory, vendor) as database:
        environment = server_env(database, directory, env)
        manage(environment, "migrate", "--noinput")
        gunicorn = BIN_DIR / "gunicorn"
        if not gunicorn.exists():
            raise ServerDidNotStart(f"{gunicorn} is not installed")
        log_path = directory / "gunicorn.log"
        command = [
            str(gunicorn),
            "shiraka.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--bind",
            "127.0.0.1:0",
            "--no-control-socket",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            "--log-level",
            "info",
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            server = LiveServer(
                base_url=_wait_until_serving(process, log_path),
                database=database,
                env=environment,
                log_path=log_path,
                process=process,
            )
            server.seeded = server.seed(seed) if seed is not None else None
            yield server
        finally:
            _stop(process)


def _wait_until_serving(process, log_path):
    deadline = time.monotonic() + STARTUP_SECONDS
    base_url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if base_url is None:
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log_path.read_text(errors="replace"))
            base_url = found and found.group(1)
        if base_url:
            status, _ = call(base_url, "GET", "/api/v1/nations/", timeout=5)
            if status == 200:
                return base_url
        time.sleep(0.1)
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
    _stop(process)
    raise ServerDidNotStart(f"gunicorn did not answer (exit code {process.poll()}):\n{tail}")


def _stop(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- requests ---------------------------------------------------------------------------------


def call(base_url, method, path, *, token=None, body=None, timeout=60):
    """One request on its own connection: (status, JSON body or text). A lost connection is
    status 0 with the error as its body, so that a caller counts it instead of crashing."""
    address = urlsplit(base_url)
    headers = {"Accept": "application/json", "Accept-Language": "en", "Connection": "close"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        status, raw = response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        return 0, f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")[:4000]


def _one(base_url, request):
    started = time.time()
    status, body = call(
        base_url, request["method"], request["path"], token=request.get("token"), body=request.get("body")
    )
    return {"tag": request.get("tag"), "status": status, "body": body, "started": started, "ended": time.time()}


def peak_in_flight(results):
    """The most requests that were waiting for their answers at one moment (across processes)."""
    moments = sorted([(r["started"], 1) for r in results] + [(r["ended"], -1) for r in results])
    peak = current = 0
    for _, step in moments:
        current += step
        peak = max(peak, current)
    return peak


def fire(base_url, requests, threads):
    """Send `requests` ({"method", "path", "token", "body", "tag"}) from `threads` threads at
    once; answers {"tag", "status", "body", "started", "ended"} (wall clock) in the order of `requests`."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda request: _one(base_url, request), requests))


def _wait_for(barrier):
    barrier.wait(timeout=120)


def fire_everywhere(base_url, local, batches, *, threads=32, threads_per_process=12):
    """Fire `local` from `threads` threads of this process and each of `batches` from its own
    worker process (spawned, `threads_per_process` threads each), all starting together.
    Answers (results of local, [results of each batch])."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    barrier = context.Barrier(len(batches) + 1)
    with ProcessPoolExecutor(
        max_workers=len(batches), mp_context=context, initializer=_wait_for, initargs=(barrier,)
    ) as pool:
        futures = [pool.submit(fire, base_url, batch, threads_per_process) for batch in batches]
        barrier.wait(timeout=120)  # every worker process is up and about to fire
        here = fire(base_url, local, threads)
        return here, [future.result(timeout=300) for future in futures]


# --- seeding (runs inside the server's environment) -----------------------------------------------


def seed(spec):
    """Users with API tokens and people, made directly, and open offerings made by the catalogue's
    services (set-up, not a user's path; the services keep whatever the offering derives).

    spec: {"nations": ["KWT", ...], "people_per_nation": n,
           "offerings": [{"code", "capacity", "admission", "quotas": {"KWT": 3, ...}}, ...]}
    Answers {"tokens": {"admin", "director", "focal_KWT", ...}, "users": {name: id},
             "people": {"KWT": [ids]}, "offerings": {code: id}, "nations": {"KWT": id}}."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from partners.models import Area, Nation
    from people.models import Person
    from training import services
    from training.models import Status

    made = {"tokens": {}, "users": {}, "people": {}, "offerings": {}, "nations": {}}
    with transaction.atomic():
        nations = {code: Nation.objects.get(code=code) for code in spec["nations"]}
        made["nations"] = {code: n.pk for code, n in nations.items()}

        def user(name, role, nation=None):
            account = User.objects.create_user(username=name, email=f"{name}@example.org", role=role, nation=nation)
            made["users"][name] = account.pk
            made["tokens"][name] = Token.objects.create(user=account).key
            return account

        admin = user("admin", Role.ADMIN)
        director = user("director", Role.DIRECTOR)
        for code, nation in nations.items():
            user(f"focal_{code}", Role.FOCAL_POINT, nation)
            made["people"][code] = [
                Person.objects.create(
                    nation=nation,
                    name_en=f"Candidate {code} {i}",
                    name_ar=f"مرشح {code} {i}",
                    email=f"{code.lower()}{i}@example.org",
                    language="en",
                ).pk
                for i in range(spec.get("people_per_nation", 10))
            ]
        course = services.course_create(
            by=admin,
            code="LIVE-1",
            title_en="Live course",
            title_ar="دورة حية",
            area=Area.objects.order_by("code").first(),
            languages="ar,en",
        )
        start = timezone.localdate() + timedelta(days=60)
        for offering in spec.get("offerings", []):
            row = services.offering_create(
                by=admin,
                course=course,
                code=offering["code"],
                start_date=start,
                end_date=start + timedelta(days=4),
                nomination_deadline=start - timedelta(days=21),
                venue_en="Kuwait",
                venue_ar="الكويت",
                capacity=offering["capacity"],
                admission=offering.get("admission", "decision"),
                director=director,
                quotas={nations[code]: seats for code, seats in offering.get("quotas", {}).items()},
            )
            services.offering_transition(by=admin, offering=row, to=Status.OPEN)
            made["offerings"][offering["code"]] = row.pk
    return made


def _seed_from_stdin():
    print(json.dumps(seed(json.loads(sys.stdin.read()))))
