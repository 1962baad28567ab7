"""The seat invariants under real concurrency: a live gunicorn server on a fresh database of the
vendor the suite runs on, hit by many threads of this process and by several worker processes
at once. The invariants are then read straight from that database:

- accepted seats ≤ capacity; accepted of a nation ≤ its quota where one is set;
- one nomination per person and offering;
- Offering.seats_taken and Quota.seats_taken equal the accepted counts;
- every nomination's events form one unbroken chain ending in its status;
- on a first-come offering, no wait-listed nomination would fit (on a decision offering the
  director may keep seats free on purpose: a withdrawal there promotes at most one);
- no nomination lost (each 201 is in the database) and no phantom (each row was answered 201);
- the nomination counts the services maintain for the yearly figures equal a recount.

`pytest -s` shows one line of figures per scenario.
"""

import itertools
import random
import time
from collections import Counter, defaultdict

import pytest
from django.db import connection

from core.testing.live import ServerDidNotStart, call, fire, fire_everywhere, live_server, peak_in_flight
from reports.models import STATES, NominationCount

NATIONS = ("KWT", "BHR", "QAT", "ARE")
LIVE_STATES = ("open", "closed", "running")
RUSH = ("RUSH-1", "RUSH-2")
RUSH_PEOPLE = 20  # per nation and offering
QUOTAS = {"KWT": 3, "BHR": 3, "QAT": 3}  # ARE has none: only the capacity binds it
SPEC = {
    "nations": list(NATIONS),
    "people_per_nation": 30,
    "offerings": [
        *({"code": code, "capacity": 10, "admission": "first_come", "quotas": QUOTAS} for code in RUSH),
        {"code": "MIX-FC", "capacity": 8, "admission": "first_come", "quotas": {"KWT": 2, "BHR": 2, "QAT": 2}},
        {"code": "MIX-DEC", "capacity": 6, "admission": "decision", "quotas": {"KWT": 2, "BHR": 2, "QAT": 2}},
        {"code": "SPARE", "capacity": 5, "admission": "first_come"},  # never nominated to
    ],
}
THREADS = 32  # in this process
PROCESSES = 3
THREADS_PER_PROCESS = 12
NOMINATIONS = "/api/v1/nominations/"
COUNTS = NominationCount._meta.db_table


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    try:
        with live_server(tmp_path_factory.mktemp("live"), workers=2, threads=8, seed=SPEC) as server:
            yield server
    except ServerDidNotStart as error:
        pytest.skip(f"gunicorn cannot start: {error}")


def nominate(seeded, code, nation, person, **tag):
    return {
        "method": "POST",
        "path": NOMINATIONS,
        "token": seeded["tokens"][f"focal_{nation}"],
        "body": {"offering": seeded["offerings"][code], "person": person},
        "tag": {"action": "submit", "offering": code, "nation": nation, "person": person, **tag},
    }


def spread(requests, rng, parts):
    """Shuffle `requests` into `parts` lists; the copies of one request go to different parts."""
    out = [[] for _ in range(parts)]
    base = {}
    for request in rng.sample(requests, len(requests)):
        key = request["tag"].get("key")
        if key is None:
            out[rng.randrange(parts)].append(request)
            continue
        start = base.setdefault(key, rng.randrange(parts))
        out[(start + request["tag"]["copy"]) % parts].append(request)
    return out


def fire_from_threads_and_processes(live, requests, rng):
    """One part from THREADS threads here, the others from PROCESSES worker processes."""
    local, *batches = spread(requests, rng, PROCESSES + 1)
    started = time.monotonic()
    here, there = fire_everywhere(
        live.base_url, local, batches, threads=THREADS, threads_per_process=THREADS_PER_PROCESS
    )
    return here + [result for batch in there for result in batch], time.monotonic() - started


def unexpected(results, allowed):
    """Results whose (status, code) is not allowed; "code" is None for a success."""
    return [
        (r["tag"], r["status"], r["body"])
        for r in results
        if (r["status"], r["body"].get("code") if r["status"] == 409 and isinstance(r["body"], dict) else None)
        not in allowed
    ]


def server_errors(live):
    """Tracebacks or 5xx answers in the server's log (a locked SQLite database would show here)."""
    lines = live.log().splitlines()
    bad = [i for i, line in enumerate(lines) if "Traceback" in line or "database is locked" in line]
    bad += [i for i, line in enumerate(lines) if "Internal Server Error" in line or "[CRITICAL]" in line]
    return "\n".join("\n".join(lines[i : i + 25]) for i in sorted(set(bad))[:3])


def check_invariants(db):
    """Every seat invariant, read from the live database; answers the list of what is wrong."""
    problems = []
    offerings = {
        row[0]: dict(zip(("code", "capacity", "seats_taken", "status", "admission"), row[1:], strict=True))
        for row in db.query("SELECT id, code, capacity, seats_taken, status, admission FROM training_offering")
    }
    quotas = {
        (offering, nation): {"seats": seats, "taken": taken}
        for offering, nation, seats, taken in db.query(
            "SELECT offering_id, nation_id, seats, seats_taken FROM training_quota"
        )
    }
    nominations = {
        row[0]: dict(zip(("offering", "nation", "person", "status"), row[1:], strict=True))
        for row in db.query("SELECT id, offering_id, nation_id, person_id, status FROM nominations_nomination")
    }
    accepted, accepted_of = Counter(), Counter()
    for n in nominations.values():
        if n["status"] == "accepted":
            accepted[n["offering"]] += 1
            accepted_of[n["offering"], n["nation"]] += 1
    for pk, o in offerings.items():
        if accepted[pk] > o["capacity"]:
            problems.append(f"{o['code']}: {accepted[pk]} accepted > capacity {o['capacity']}")
        if o["seats_taken"] != accepted[pk]:
            problems.append(f"{o['code']}: seats_taken {o['seats_taken']} != {accepted[pk]} accepted")
    for (offering, nation), q in quotas.items():
        code = offerings[offering]["code"]
        if accepted_of[offering, nation] > q["seats"]:
            problems.append(f"{code}/nation {nation}: {accepted_of[offering, nation]} accepted > quota {q['seats']}")
        if q["taken"] != accepted_of[offering, nation]:
            problems.append(
                f"{code}/nation {nation}: quota seats_taken {q['taken']} != {accepted_of[offering, nation]}"
            )
    pairs = Counter((n["offering"], n["person"]) for n in nominations.values())
    problems += [f"{count} nominations of person {p} to offering {o}" for (o, p), count in pairs.items() if count > 1]
    wrong_nation = db.query(
        "SELECT n.id FROM nominations_nomination n JOIN people_person p ON p.id = n.person_id "
        "WHERE n.nation_id <> p.nation_id"
    )
    problems += [f"nomination {pk} counts against another nation than its person's" for (pk,) in wrong_nation]
    # Each nomination's timeline: submitted first, every step from where the last one left, ending in its status.
    events = defaultdict(list)
    for nomination, kind, from_status, to_status in db.query(
        "SELECT nomination_id, kind, from_status, to_status FROM nominations_nominationevent ORDER BY id"
    ):
        events[nomination].append((kind, from_status, to_status))
    for pk, n in nominations.items():
        chain = events.get(pk, [])
        if not chain or chain[0] != ("submitted", "", "submitted"):
            problems.append(f"nomination {pk}: timeline does not start with its submission: {chain[:1]}")
            continue
        for (_, _, before), (kind, after_from, _) in itertools.pairwise(chain):
            if after_from != before:
                problems.append(f"nomination {pk}: a {kind} step from {after_from} after reaching {before}")
        if chain[-1][2] != n["status"]:
            problems.append(f"nomination {pk}: status {n['status']} but the last event went to {chain[-1][2]}")
        # First come, first served: the waiting list holds only who could not fit. (On a director's
        # decision, the director may keep seats free on purpose.)
        o = offerings[n["offering"]]
        if n["status"] == "waitlisted" and o["status"] in LIVE_STATES and o["admission"] == "first_come":
            quota = quotas.get((n["offering"], n["nation"]))
            if o["seats_taken"] < o["capacity"] and (quota is None or quota["taken"] < quota["seats"]):
                problems.append(f"nomination {pk} is wait-listed on {o['code']} though a seat of its nation is free")
    # The counts the services maintain for the yearly figures (reports.NominationCount) add up too.
    counted = Counter()
    for year, nation, area, *states in db.query(f"SELECT year, nation_id, area_id, {', '.join(STATES)} FROM {COUNTS}"):
        counted.update({(year, nation, area, state): n for state, n in zip(STATES, states, strict=True) if n})
    actual = Counter(
        (int(str(start)[:4]), nation, area, status)
        for start, nation, area, status in db.query(
            "SELECT o.start_date, n.nation_id, c.area_id, n.status FROM nominations_nomination n "
            "JOIN training_offering o ON o.id = n.offering_id JOIN training_course c ON c.id = o.course_id"
        )
    )
    if counted != actual:
        problems.append(f"maintained nomination counts {dict(counted)} != the nominations {dict(actual)}")
    return problems


def rows_of(db, codes):
    """{nomination id: (offering code, person id, nation code, status)} of the offerings `codes`."""
    marks = ", ".join(["%s"] * len(codes))
    return {
        pk: (code, person, nation, status)
        for pk, code, person, nation, status in db.query(
            "SELECT n.id, o.code, n.person_id, c.code, n.status FROM nominations_nomination n "
            "JOIN training_offering o ON o.id = n.offering_id JOIN partners_nation c ON c.id = n.nation_id "
            f"WHERE o.code IN ({marks})",
            codes,
        )
    }


def replay_first_come(db, code, capacity, quotas):
    """The statuses first come, first served gives the offering's nominations in the order they
    were made (ids are taken under the offering's lock), to compare with what the server did."""
    taken, taken_of, expected = 0, Counter(), {}
    for pk, nation in db.query(
        "SELECT n.id, c.code FROM nominations_nomination n JOIN training_offering o ON o.id = n.offering_id "
        "JOIN partners_nation c ON c.id = n.nation_id WHERE o.code = %s ORDER BY n.id",
        [code],
    ):
        if taken < capacity and (nation not in quotas or taken_of[nation] < quotas[nation]):
            taken, taken_of[nation], expected[pk] = taken + 1, taken_of[nation] + 1, "accepted"
        else:
            expected[pk] = "waitlisted"
    return expected


def test_a_rush_of_nominations_fills_every_seat_once_and_loses_nothing(live):
    seeded, db, rng = live.seeded, live.database, random.Random(20240601)
    requests = []
    for code in RUSH:
        for nation in NATIONS:
            for i, person in enumerate(seeded["people"][nation][:RUSH_PEOPLE]):
                # The first 3 people of each nation are sent three times: two must answer 409.
                copies = 3 if i < 3 else 1
                key = f"{code}/{person}" if copies > 1 else None
                requests += [nominate(seeded, code, nation, person, key=key, copy=c) for c in range(copies)]

    results, elapsed = fire_from_threads_and_processes(live, requests, rng)

    assert not unexpected(results, {(201, None), (409, "already_nominated")}), server_errors(live)
    by_pair = defaultdict(list)
    for r in results:
        by_pair[r["tag"]["offering"], r["tag"]["person"]].append(r)
    for (code, person), answers in by_pair.items():
        assert sorted(a["status"] for a in answers) == [201] + [409] * (len(answers) - 1), (code, person)
    created = {r["body"]["id"]: r for r in results if r["status"] == 201}
    stored = rows_of(db, list(RUSH))
    assert set(stored) == set(created), "nominations lost or made without a 201"
    for pk, (code, person, nation, status) in stored.items():
        tag, body = created[pk]["tag"], created[pk]["body"]
        assert (tag["offering"], tag["person"], tag["nation"]) == (code, person, nation)
        assert (body["status"], body["nation"]) == (status, nation)  # nothing changed since the answer
        assert status in ("accepted", "waitlisted")
    for code in RUSH:
        assert {pk: s for pk, (c, _, _, s) in stored.items() if c == code} == replay_first_come(db, code, 10, QUOTAS)
    assert check_invariants(db) == []
    assert server_errors(live) == ""

    statuses = Counter(s for (_, _, _, s) in stored.values())
    accepted_of = Counter((c, n) for (c, _, n, s) in stored.values() if s == "accepted")
    for code in RUSH:
        # Demand is far above the seats: every seat is taken, no quota is passed.
        assert sum(accepted_of[code, n] for n in NATIONS) == 10
        assert all(accepted_of[code, n] <= seats for n, seats in QUOTAS.items())
    conflicts = sum(r["status"] == 409 for r in results)
    assert conflicts == len(requests) - len(created) == len(RUSH) * len(NATIONS) * 3 * 2
    print(
        f"\n[{db.vendor}] rush: {len(requests)} POSTs from {THREADS} threads + {PROCESSES} processes × "
        f"{THREADS_PER_PROCESS} threads, up to {peak_in_flight(results)} in flight; {len(RUSH)} first_come "
        f"offerings × 10 seats: {len(created)} × 201 ({statuses['accepted']} accepted, {statuses['waitlisted']} "
        f"waitlisted), {conflicts} × 409 already_nominated; {elapsed:.1f} s"
    )


def decide(seeded, pk, decision, reason="", **tag):
    return {
        "method": "POST",
        "path": f"{NOMINATIONS}{pk}/decide/",
        "token": seeded["tokens"]["director"],
        "body": {"decision": decision, "reason": reason},
        "tag": {"action": decision + ("+reason" if reason and decision == "accept" else ""), "id": pk, **tag},
    }


def withdraw(seeded, pk, nation, **tag):
    return {
        "method": "POST",
        "path": f"{NOMINATIONS}{pk}/withdraw/",
        "token": seeded["tokens"][f"focal_{nation}"],
        "body": {"reason": "no longer available"},
        "tag": {"action": "withdraw", "id": pk, **tag},
    }


def test_decisions_and_withdrawals_racing_keep_the_seats_right(live):
    seeded, db, rng = live.seeded, live.database, random.Random(20240602)
    # Candidates made first, concurrently: 10 a nation for the decision offering, 8 for the first-come one.
    setup = [
        nominate(seeded, code, nation, person)
        for code, count in (("MIX-DEC", 10), ("MIX-FC", 8))
        for nation in NATIONS
        for person in seeded["people"][nation][RUSH_PEOPLE : RUSH_PEOPLE + count]
    ]
    made = fire(live.base_url, setup, THREADS)
    assert [r["status"] for r in made] == [201] * len(setup), unexpected(made, {(201, None)})
    before = rows_of(db, ["MIX-DEC", "MIX-FC"])
    assert set(before) == {r["body"]["id"] for r in made}
    assert Counter(s for (c, _, _, s) in before.values() if c == "MIX-DEC") == {"submitted": 40}
    assert Counter(s for (c, _, _, s) in before.values() if c == "MIX-FC") == {"accepted": 8, "waitlisted": 24}
    quota_before = dict(
        db.query(
            "SELECT c.code, q.seats FROM training_quota q JOIN training_offering o ON o.id = q.offering_id "
            "JOIN partners_nation c ON c.id = q.nation_id WHERE o.code = 'MIX-DEC'"
        )
    )

    # The race: on the decision offering, one or two contradicting actions on each nomination;
    # on the first-come one, every accepted nomination withdrawn twice while the waiting list is
    # declined, accepted and withdrawn from under the promotions, and newcomers arrive.
    race = [
        nominate(seeded, "MIX-FC", nation, person)
        for nation in NATIONS
        for person in seeded["people"][nation][RUSH_PEOPLE + 8 : RUSH_PEOPLE + 10]
    ]
    actions = {
        "accept": lambda pk, n, **t: decide(seeded, pk, "accept", **t),
        "accept+reason": lambda pk, n, **t: decide(seeded, pk, "accept", "exceptional candidate", **t),
        "waitlist": lambda pk, n, **t: decide(seeded, pk, "waitlist", **t),
        "decline": lambda pk, n, **t: decide(seeded, pk, "decline", "not eligible", **t),
        "withdraw": lambda pk, n, **t: withdraw(seeded, pk, n, **t),
    }
    for pk, (code, _, nation, status) in sorted(before.items()):
        if code == "MIX-DEC":
            chosen = rng.sample(sorted(actions), rng.choice((1, 2, 2)))
            race += [actions[a](pk, nation, key=pk, copy=c) for c, a in enumerate(chosen)]
        elif status == "accepted":
            race += [withdraw(seeded, pk, nation, key=pk, copy=c, twice=True) for c in range(2)]
        else:
            a = rng.choice(["withdraw", "decline", "accept", None])
            race += [actions[a](pk, nation)] if a else []

    results, elapsed = fire_from_threads_and_processes(live, race, rng)

    allowed = {(200, None), (201, None), (409, "wrong_state"), (409, "full"), (409, "quota_full")}
    assert not unexpected(results, allowed), server_errors(live)
    after = rows_of(db, ["MIX-DEC", "MIX-FC"])
    arrived = {r["body"]["id"] for r in results if r["status"] == 201}
    assert len(arrived) == 8 and all(after[pk][0] == "MIX-FC" for pk in arrived)
    assert set(after) == set(before) | arrived, "nominations lost or made without a 201"
    assert check_invariants(db) == []
    assert server_errors(live) == ""
    # Every 200 is one recorded step, and every recorded step was answered 200.
    steps = Counter(
        kind
        for (kind,) in db.query(
            "SELECT e.kind FROM nominations_nominationevent e JOIN nominations_nomination n ON n.id = e.nomination_id "
            "JOIN training_offering o ON o.id = n.offering_id WHERE o.code IN ('MIX-DEC', 'MIX-FC')"
        )
    )
    done = Counter(
        "withdrawn" if r["tag"]["action"] == "withdraw" else "decided" for r in results if r["status"] == 200
    )
    assert (steps["decided"], steps["withdrawn"]) == (done["decided"], done["withdrawn"])
    assert steps["submitted"] == len(before) + len(arrived)
    # On the decision offering a freed seat promotes at most one, right after it in the same
    # transaction (the offering's lock keeps each transaction's events together): reserves stay.
    timeline = db.query(
        "SELECT e.kind, e.from_status FROM nominations_nominationevent e "
        "JOIN nominations_nomination n ON n.id = e.nomination_id JOIN training_offering o ON o.id = n.offering_id "
        "WHERE o.code = 'MIX-DEC' ORDER BY e.id"
    )
    for (kind, from_status), (next_kind, _) in itertools.pairwise(timeline):
        if next_kind == "promoted":
            assert kind in ("withdrawn", "decided") and from_status == "accepted", (kind, from_status)
    twice = defaultdict(list)
    for r in results:
        if r["tag"].get("twice"):
            twice[r["tag"]["id"]].append(r["status"])
    assert all(sorted(s) == [200, 409] for s in twice.values()), twice
    # A quota is over-filled only by an acceptance with a reason, one seat each.
    raised = Counter(
        nation
        for nation, reason in db.query(
            "SELECT c.code, e.reason FROM nominations_nominationevent e "
            "JOIN nominations_nomination n ON n.id = e.nomination_id JOIN training_offering o ON o.id = n.offering_id "
            "JOIN partners_nation c ON c.id = n.nation_id WHERE o.code = 'MIX-DEC' AND e.kind = 'decided'"
        )
        if reason.startswith("Quota of")
    )
    for nation, seats in db.query(
        "SELECT c.code, q.seats FROM training_quota q JOIN training_offering o ON o.id = q.offering_id "
        "JOIN partners_nation c ON c.id = q.nation_id WHERE o.code = 'MIX-DEC'"
    ):
        assert seats - quota_before[nation] == raised[nation], nation

    final = Counter((c, s) for (c, _, _, s) in after.values())
    codes = Counter(r["body"]["code"] for r in results if r["status"] == 409)
    refusals = ", ".join(f"{code} {n}" for code, n in sorted(codes.items()))
    print(
        f"\n[{db.vendor}] mixed: {len(race)} POSTs ({len(race) - len(arrived)} decide/withdraw on {len(before)} "
        f"nominations, {len(arrived)} new) from {THREADS} threads + {PROCESSES} processes × {THREADS_PER_PROCESS} "
        f"threads, up to {peak_in_flight(results)} in flight: {sum(r['status'] == 200 for r in results)} × "
        f"200, {len(arrived)} × 201, {sum(codes.values())} × 409 ({refusals}); "
        f"decision offering (6 seats): {final['MIX-DEC', 'accepted']} accepted, {final['MIX-DEC', 'waitlisted']} "
        f"waitlisted; first_come (8 seats): {final['MIX-FC', 'accepted']} accepted, "
        f"{final['MIX-FC', 'waitlisted']} waitlisted, {steps['promoted']} promoted; "
        f"{steps['withdrawn']} withdrawn, {final['MIX-DEC', 'declined'] + final['MIX-FC', 'declined']} declined; "
        f"{elapsed:.1f} s"
    )


def test_the_live_server_runs_on_the_suites_database_vendor(live):
    """The fixture really made the server's database on the vendor the suite runs on, and the
    checks above can fail: a seat count off by one is caught."""
    db = live.database
    assert db.vendor == connection.vendor
    assert call(live.base_url, "GET", "/api/v1/nations/")[0] == 200
    assert db.scalar("SELECT COUNT(*) FROM training_offering") == len(SPEC["offerings"])
    assert db.execute("UPDATE training_offering SET seats_taken = 1 WHERE code = 'SPARE'") == 1
    try:
        assert "SPARE: seats_taken 1 != 0 accepted" in check_invariants(db)
    finally:
        db.execute("UPDATE training_offering SET seats_taken = 0 WHERE code = 'SPARE'")
