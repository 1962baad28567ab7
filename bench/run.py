"""`make bench`: build (or reuse) the scale-1.0 data set, serve it as production would and measure.

    python -m bench.run [--scale 1.0] [--requests 200]

SQLite by default (var/bench/); with BENCH_DATABASE_URL=postgres://… the same on PostgreSQL. The
data set is built once into a pristine database and copied for each run, so every run starts
from the same data. Results go to var/bench/results.json and to the terminal."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PY = sys.executable


def _env(database_url, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="shiraka.settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SHIRAKA_VAR_DIR=str(ROOT / "var"),
        # As deployed: e-mails wait in the database queue for a worker, not in the request.
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        **extra,
    )
    return env


def _manage(database_url, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=_env(database_url), check=True)


# The generator's version: one that makes another data set from the same seed (version 2 numbers
# people in the order a registry grows in, version 3 issues certificates, version 4 has completed
# offerings evaluated) is given a new number, so that no data set an earlier version made is reused
# and measured as if it were this one's.
DATASET_VERSION = 4


class Store:
    """Where the pristine data set lives and how a working copy of it is made."""

    def __init__(self, scale, seed):
        self.scale, self.seed = scale, seed
        self.url = os.environ.get("BENCH_DATABASE_URL", "")
        self.vendor = "postgresql" if self.url.startswith("postgres") else "sqlite"
        tag = f"s{scale:g}-seed{seed}-v{DATASET_VERSION}"
        OUT.mkdir(parents=True, exist_ok=True)
        if self.vendor == "sqlite":
            self.pristine = OUT / f"pristine-{tag}.sqlite3"
            self.work = OUT / "work.sqlite3"
            self.pristine_url, self.work_url = f"sqlite:///{self.pristine}", f"sqlite:///{self.work}"
        else:
            base = self.url.rsplit("/", 1)[0]
            self.pristine_name, self.work_name = f"shiraka_bench_{tag}".replace(".", "_"), "shiraka_bench_work"
            self.pristine_url, self.work_url = f"{base}/{self.pristine_name}", f"{base}/{self.work_name}"
            self.admin_url = f"{base}/postgres"
        self.marker = OUT / f"dataset-{self.vendor}-{tag}.json"

    def _pg(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def _built(self):
        """Whether the marked data set is there: the marker outlives a database dropped, or
        another server named by BENCH_DATABASE_URL."""
        if not self.marker.exists():
            return False
        if self.vendor == "sqlite":
            return self.pristine.exists()
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            return (
                conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.pristine_name]).fetchone()
                is not None
            )

    def ensure(self):
        if self._built():
            print(f"Reusing the data set ({self.marker.name}).")
            _manage(self.pristine_url, "migrate", "--noinput", "-v", "0")
            if self.vendor == "sqlite":
                # An index a migration added has no statistics until ANALYZE, and SQLite then
                # guesses its selectivity; a data set built anew has them (4 s here).
                with _sqlite(self.pristine) as conn:
                    conn.execute("ANALYZE")
                    conn.commit()
            if self.vendor == "postgresql":
                # A migration that rewrote a table's rows cleared its visibility map, and counts
                # then read the table instead of an index alone (annual_stats: 8 to 37 ms) until
                # autovacuum comes by, as it soon would on a live server.
                import psycopg

                with psycopg.connect(self.pristine_url, autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE")
            return json.loads(self.marker.read_text())
        print(f"Building the data set at scale {self.scale:g} on {self.vendor}; about 10-15 minutes on two processors.")
        if self.vendor == "sqlite":
            for path in OUT.glob(f"{self.pristine.name}*"):
                path.unlink()
        else:
            self._pg(f'DROP DATABASE IF EXISTS "{self.pristine_name}" WITH (FORCE)')
            self._pg(f'CREATE DATABASE "{self.pristine_name}"')
        _manage(self.pristine_url, "migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        _manage(self.pristine_url, "generate_dataset", "--scale", str(self.scale), "--seed", str(self.seed))
        info = {"scale": self.scale, "seed": self.seed, "seconds": round(time.monotonic() - started)}
        self.marker.write_text(json.dumps(info))
        return info

    def fresh_copy(self):
        if self.vendor == "sqlite":
            with _sqlite(self.pristine) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for path in OUT.glob("work.sqlite3*"):
                path.unlink()
            shutil.copyfile(self.pristine, self.work)
            # Written to disk now: otherwise the system writes the copy's 2 GB out during the
            # measurements, and a page's reads wait behind those writes.
            with open(self.work, "rb+") as copy:
                os.fsync(copy.fileno())
        else:
            self._pg(f'DROP DATABASE IF EXISTS "{self.work_name}" WITH (FORCE)')
            self._pg(f'CREATE DATABASE "{self.work_name}" TEMPLATE "{self.pristine_name}"')
            # As on SQLite: the copy's pages written out now, not by a checkpoint during the run.
            self._pg("CHECKPOINT")
        return self.work_url


def measuring(url):
    """The server's environment for the working copy at `url`, with Django set up on the same
    copy in this process: the measuring side reads and prepares through the ORM."""
    env = _env(url)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECRET_KEY",
                                           "ALLOWED_HOSTS", "SHIRAKA_VAR_DIR")})  # fmt: skip
    import django

    django.setup()
    return env


def _sqlite(path):
    import sqlite3
    from contextlib import closing

    return closing(sqlite3.connect(path))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1.0")))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "200")))
    parser.add_argument("--rush", type=int, default=int(os.environ.get("BENCH_RUSH", "240")))
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args()
    store = Store(args.scale, args.seed)
    info = store.ensure()
    url = store.fresh_copy()
    _manage(url, "collectstatic", "--noinput", "-v", "0")
    env = measuring(url)
    from bench import measure

    results = measure.run(env, store.vendor, info, args)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    measure.print_table(results)
    print(f"\nResults: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
