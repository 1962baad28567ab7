"""The large data set: at scale 1.0, 2,000 courses, 100,000 offerings over twenty years, 450,000
people of 150 nations and over a million nominations with their history and attendance.

Deterministic for a seed; written with bulk inserts (bench/bulk.py), ids numbered here. Search
indexes and counts are built once at the end rather than row by row."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from bench import bulk, programme
from bench.names import NameMaker, seeded
from certificates.models import Certificate, CertificateCounter
from core import normalize
from core.search import pg_fill_sql, pg_prefix_index_sql, pg_profile_fill_sql, repair_sqlite_indexes
from nominations.models import Nomination
from partners.models import Area, Nation, Organisation
from people.matching import name_keys
from people.models import KEY_MARK, Person
from reports.counts import recount
from training.models import Course, Offering

SEARCHED = ("people_person", "training_offering", "training_course")
# Those whose shared documents are made after a bulk load too (core.search.pg_profile_fill_sql).
PROFILED = {m._meta.db_table: m.search_profile_covers for m in (Course, Offering, Person) if m.search_profiles}
# The column whose records each index leaves out, if any (core.search.Searchable).
EXCLUDED = {m._meta.db_table: m.search_index_excludes for m in (Course, Offering, Person)}
BASE = {"courses": 2000, "offerings": 100_000, "people": 450_000}
# People written at a time.
PEOPLE_BATCH = 20_000
NATIONS = 150
EXTRA_NATIONS = Path(__file__).resolve().parent / "data" / "nations.json"
# Partners nominate most: their share of the people and of the nominations.
HEAVY = {"KWT": 9, "BHR": 7, "QAT": 7, "ARE": 8, "SAU": 5, "OMN": 4}
MEDIUM = {"EGY", "JOR", "MAR", "DZA", "TUN", "MRT", "ISR", "IRQ", "TUR", "USA", "GBR", "ITA", "FRA", "DEU"}
TITLES = [
    ("{} Fundamentals", "أساسيات {}"),
    ("Advanced {}", "{}: المستوى المتقدم"),
    ("{} for Senior Leaders", "{} لكبار القادة"),
    ("{} Planning Workshop", "ورشة تخطيط في {}"),
    ("{} in the Gulf Region", "{} في منطقة الخليج"),
    ("{}: Policy and Practice", "{}: السياسات والممارسة"),
    ("{} Table-top Exercise", "تمرين منضدي في {}"),
    ("{} Train-the-Trainer Course", "دورة إعداد المدربين في {}"),
    ("{} and International Law", "{} والقانون الدولي"),
    ("Regional Cooperation in {}", "التعاون الإقليمي في {}"),
    ("{}: Lessons from Recent Crises", "{}: دروس من الأزمات الأخيرة"),
    ("{} Orientation Course", "الدورة التعريفية في {}"),
]
RANKS = ["Major", "Lieutenant Colonel", "Colonel", "Captain", "Brigadier", "First Secretary", "Counsellor",
         "Engineer", "Dr", "Mr", "Ms", "Commander", "Lieutenant"]  # fmt: skip
POSITIONS = ["Staff officer", "Head of section", "Policy adviser", "Analyst", "Planner", "Liaison officer",
             "Director of department", "Desk officer", "Instructor", "Legal adviser"]  # fmt: skip


def sizes(scale):
    return {
        name: max(round(count * scale), minimum)
        for (name, count), minimum in zip(BASE.items(), (15, 60, 300), strict=True)
    }


def generate(scale=1.0, seed=2026, say=print):
    n = sizes(scale)
    started = time.monotonic()
    with _fast_writes():
        nations = _nations()
        users = _users(nations, seed)
        say(f"  nations {len(nations)}, users {User.objects.count()}")
        courses = _courses(n["courses"], seed)
        say(f"  courses {len(courses)}")
        people = _people(n["people"], nations, seed)
        say(f"  people {sum(len(v) for v in people.values())}  ({time.monotonic() - started:.0f} s)")
        totals = programme.build(n["offerings"], courses, people, users, seed, say)
        say(f"  counting and indexing  ({time.monotonic() - started:.0f} s)")
        _certificates(totals.pop("certificate_numbers"))
        recount()
        _indexes()
    return {**totals, "people": Person.objects.count(), "seconds": round(time.monotonic() - started)}


class _fast_writes:
    """SQLite: no fsync while the set is written (it is rebuilt from the seed if lost)."""

    def __enter__(self):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                if not connection.in_atomic_block:  # as in the test suite
                    cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-200000")
                for table in SEARCHED:
                    for suffix in ("ai", "ad", "au"):
                        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in SEARCHED:
                    # The index's and the shared documents' triggers (core.search), made after.
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                    cursor.execute(f"DROP INDEX IF EXISTS {table}_fts_gin")
                    cursor.execute(f"DROP INDEX IF EXISTS {table}_fts_prefix_gin")
        return self

    def __exit__(self, *exc):
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")


def _certificates(numbers):
    """The names the certificates print, from their people, and each year's last number, from
    which the services go on."""
    q = connection.ops.quote_name
    certificate, nomination, person = (q(m._meta.db_table) for m in (Certificate, Nomination, Person))
    names = ", ".join(
        f"{q(f)} = (SELECT p.{q(f)} FROM {person} p JOIN {nomination} n ON p.{q('id')} = n.{q('person_id')} "
        f"WHERE n.{q('id')} = {certificate}.{q('nomination_id')})"
        for f in ("name_en", "name_ar")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {certificate} SET {names}")
        CertificateCounter.objects.bulk_create([CertificateCounter(year=y, last=n) for y, n in numbers.items()])


def _indexes():
    if connection.vendor == "sqlite":
        repair_sqlite_indexes()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending foreign-key checks block CREATE INDEX
            for table in SEARCHED:
                cursor.execute(pg_fill_sql(table, EXCLUDED[table]))
                if table in PROFILED:
                    for sql in pg_profile_fill_sql(table, PROFILED[table]):
                        cursor.execute(sql)
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_fts_gin ON {table}_fts USING gin (search_vector)")
                cursor.execute(pg_prefix_index_sql(table))
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            # VACUUM sets the visibility map, without which counts cannot use index-only scans
            # (autovacuum would, some time later); it cannot run inside a transaction. The fill
            # wrote every row of the profiled tables and their indexes' tables again, which left
            # them twice their size: FULL writes them anew, as a load in one go would have made
            # them (a search's first read, a walk over offerings, took 20 to 45 ms now and then
            # where it took 2 to 3 on the compact table).
            if connection.in_atomic_block:
                cursor.execute("ANALYZE")
            else:
                rewritten = ", ".join(f"{table}, {table}_fts" for table in PROFILED)
                if rewritten:
                    cursor.execute(f"VACUUM (FULL, ANALYZE) {rewritten}")
                cursor.execute("VACUUM ANALYZE")
        bulk.reset_sequences([Person, Course, User, *programme.MODELS])


@transaction.atomic
def _nations():
    have = set(Nation.objects.values_list("code", flat=True))
    extra = [row for row in json.loads(EXTRA_NATIONS.read_text(encoding="utf-8")) if row["code"] not in have]
    missing = max(NATIONS - len(have), 0)
    Nation.objects.bulk_create(Nation(**row) for row in extra[:missing])
    return {nation.code: nation.pk for nation in Nation.objects.all()}


@transaction.atomic
def _users(nations, seed):
    """The bench's accounts, all with the demo password: an administrator, an observer,
    forty programme officers, sixty instructors and a focal point per nation."""
    password = make_password(settings.DEMO_PASSWORD)
    rows = [("bench-admin", Role.ADMIN, None), ("bench-observer", Role.OBSERVER, None)]
    rows += [(f"bench-director-{i:02d}", Role.DIRECTOR, None) for i in range(40)]
    rows += [(f"bench-instructor-{i:02d}", Role.INSTRUCTOR, None) for i in range(60)]
    rows += [(f"bench-focal-{code.lower()}", Role.FOCAL_POINT, pk) for code, pk in sorted(nations.items())]
    User.objects.bulk_create(
        User(username=name, role=role, nation_id=nation, password=password, email=f"{name}@bench.example",
             is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        for name, role, nation in rows
    )  # fmt: skip
    users = {u.username: u.pk for u in User.objects.filter(username__startswith="bench-")}
    return {
        "admin": users["bench-admin"],
        "directors": [users[f"bench-director-{i:02d}"] for i in range(40)],
        "instructors": [users[f"bench-instructor-{i:02d}"] for i in range(60)],
    }


@transaction.atomic
def _courses(count, seed):
    rng = seeded(seed, "courses")
    areas = list(Area.objects.order_by("code"))
    first = bulk.next_id(Course)
    rows, made = [], []
    for i in range(count):
        area = areas[i % len(areas)]
        title_en, title_ar = TITLES[(i // len(areas)) % len(TITLES)]
        module = i // (len(areas) * len(TITLES)) + 1
        code = f"{area.code[:3].upper()}-{i + 1:04d}"
        title_en, title_ar = title_en.format(area.name_en), title_ar.format(area.name_ar)
        if module > 1:
            title_en, title_ar = f"{title_en} (Module {module})", f"{title_ar} (الوحدة {module})"
        days = rng.choice([1, 2, 3, 5, 5, 5, 10])
        summary_en = f"A {days}-day course on {area.name_en.lower()} for officials and officers of partner nations."
        summary_ar = f"دورة مدتها {days} أيام في {area.name_ar} لمسؤولي الدول الشريكة وضباطها."
        document = normalize.document(code, title_en, title_ar, summary_en, summary_ar)
        pk = first + i
        rows.append((pk, code, title_en, title_ar, area.pk, summary_en, summary_ar, "", "", "", "", "", "", days,
                     rng.choice(["en", "ar,en", "ar,en", "ar"]), True, document))  # fmt: skip
        made.append(
            {"pk": pk, "code": code, "days": days, "area": area.pk, "doc": document, "title_en": title_en,
             "title_ar": title_ar}
        )  # fmt: skip
    bulk.insert(
        Course,
        ["id", "code", "title_en", "title_ar", "area", "summary_en", "summary_ar", "objectives_en", "objectives_ar",
         "audience_en", "audience_ar", "prerequisites_en", "prerequisites_ar", "duration_days", "languages",
         "active", "search_document"],
        rows,
    )  # fmt: skip
    return made


def _nation_weights(nations):
    weights = {}
    for code in nations:
        weights[code] = HEAVY.get(code, 1.0 if code in MEDIUM else 0.25)
    return weights


def _people(count, nations, seed):
    """`count` people spread over the nations (partners most), about one in a hundred entered a
    second time with another spelling, as happens when two focal points each add the same person.
    Numbered in the order a registry grows in, its nations' people among one another: made nation
    after nation, each nation's people were a block of ids, and a search walking the ids to a
    common Arabic name first crossed the blocks of nations that have none."""
    weights = _nation_weights(nations)
    total = sum(weights.values())
    names = NameMaker()
    organisations = {}
    for org in Organisation.objects.exclude(nation=None).select_related("nation"):
        organisations.setdefault(org.nation.code, []).append(org.name_en)
    fields = ["id", "nation", "name_ar", "name_en", "rank", "position", "organization", "email", "phone", "language",
              "created_at", "updated_at", "search_document"]  # fmt: skip
    now = timezone.now()
    made, order = {}, []
    for code in sorted(nations):
        orgs = organisations.get(code, [f"Ministry of Defence of {code}", f"Ministry of Foreign Affairs of {code}"])
        made[code] = _people_of(code, seeded(seed, "people", code), names, orgs)
        order += [code] * max(round(count * weights[code] / total), 2)
    seeded(seed, "people", "order").shuffle(order)
    pk = bulk.next_id(Person)
    by_nation, rows = {code: [] for code in made}, []
    for at, code in enumerate(order, 1):
        name_ar, name_en, rank, position, org, phone = next(made[code])
        email = f"{''.join(ch for ch in name_en.lower() if ch.isalpha())[:20]}.{pk}@{code.lower()}.example"
        keys = dict.fromkeys(KEY_MARK + k for k in name_keys(name_ar) + name_keys(name_en))
        document = " ".join([normalize.document(name_ar, name_en, email, phone, position, org, rank), *keys])
        language = "ar" if name_ar else "en"
        rows.append((pk, nations[code], name_ar, name_en, rank, position, org, email, phone, language, now, now,
                     document))  # fmt: skip
        by_nation[code].append(pk)
        pk += 1
        if len(rows) == PEOPLE_BATCH or at == len(order):
            with transaction.atomic():
                bulk.insert(Person, fields, rows)
            rows = []
    return by_nation


def _people_of(code, rng, names, orgs):
    """A nation's people one after another: (name_ar, name_en, rank, position, organisation,
    phone). One in a hundred is the one before, spelt otherwise."""
    last = None
    while True:
        if last and rng.random() < 0.01:
            name_ar, name_en = last[0], names.respell(last[1], rng)
        else:
            name_ar, name_en, _woman = names.make(code, rng)
        rank, position, org = rng.choice(RANKS), rng.choice(POSITIONS), rng.choice(orgs)
        phone = f"+{rng.randrange(100, 999)} {rng.randrange(1000000, 9999999)}"
        last = (name_ar, name_en)
        yield name_ar, name_en, rank, position, org, phone
