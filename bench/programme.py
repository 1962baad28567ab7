"""The offerings of the generated data set, and everything that happened to them: their state
changes, quotas, nominations in every state with waiting lists, each nomination's timeline,
attendance for the offerings that ran, certificates for those who completed one, and the
evaluations of those who attended a completed one (bench.questionnaires). Seat counts follow the
same rules as the services."""

import base64
import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attendance.models import Attendance
from bench import bulk, questionnaires
from bench.names import Picker, seeded
from certificates.models import Certificate
from core import normalize
from core.search import SHARED_MARK
from nominations.models import Nomination, NominationEvent
from partners.models import Nation
from training.models import Offering, OfferingTransition, Quota

MODELS = [
    Offering,
    OfferingTransition,
    Quota,
    Nomination,
    NominationEvent,
    Attendance,
    Certificate,
    *questionnaires.MODELS,
]
YEARS = 20
BATCH = 2000
PARTNERS = ["KWT", "BHR", "QAT", "ARE", "SAU", "OMN"]
VENUES = [
    ("NATO-ICI Regional Centre, Kuwait", "المركز الإقليمي لحلف الناتو ومبادرة إسطنبول للتعاون، الكويت"),
    ("NATO Defense College, Rome", "كلية الدفاع التابعة للناتو، روما"),
    ("NATO School, Oberammergau", "مدرسة الناتو، أوبرامرغاو"),
    ("Joint Command and Staff College, Kuwait", "كلية القيادة والأركان المشتركة، الكويت"),
    ("Bahrain Defence Force Academy, Manama", "أكاديمية قوة دفاع البحرين، المنامة"),
    ("Ahmed bin Mohammed Military College, Doha", "كلية أحمد بن محمد العسكرية، الدوحة"),
    ("National Defense College, Abu Dhabi", "كلية الدفاع الوطني، أبوظبي"),
    ("Online", "عن بُعد"),
]  # fmt: skip
VENUE_DOCS = [normalize.document(en, ar) for en, ar in VENUES]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Ids:
    def __init__(self):
        # Answers and responses have random ids (uuid), not numbers.
        numbered = [model for model in MODELS if model._meta.pk.get_internal_type() != "UUIDField"]
        self.next = {model: bulk.next_id(model) for model in numbered}
        self.certificates = {}  # the last certificate number given in each year

    def take(self, model):
        value = self.next[model]
        self.next[model] += 1
        return value

    def certificate_number(self, year):
        self.certificates[year] = self.certificates.get(year, 0) + 1
        return f"{settings.CERTIFICATE_PREFIX}-{year}-{self.certificates[year]:05d}"


def _status(start, end, deadline, today, rng):
    if end < today:
        state = "completed"
    elif start <= today:
        state = "running"
    elif deadline < today:
        state = "closed"
    else:
        state = "draft" if rng.random() < 0.15 else "open"
    if state != "draft" and rng.random() < 0.04:
        return "cancelled", state
    return state, state


class Batch:
    def __init__(self):
        self.rows = {model: [] for model in MODELS}


def build(count, courses, people, users, seed, say):
    today = timezone.localdate()
    first_day = date(today.year - YEARS + 2, 1, 1)
    span = (date(today.year + 1, 12, 31) - first_day).days
    ids = Ids()
    weights = {code: (12 if code in PARTNERS else 1) for code in people}
    nation_pick = Picker(sorted(people), [weights[code] for code in sorted(people)])
    nation_ids = dict(Nation.objects.values_list("code", "pk"))
    totals = {"offerings": 0, "nominations": 0, "attendance": 0, "certificates": 0, "evaluations": 0}
    standard = questionnaires.template()
    for begin in range(0, count, BATCH):
        batch = Batch()
        for i in range(begin, min(begin + BATCH, count)):
            rng = seeded(seed, "offering", i)
            course = courses[rng.randrange(len(courses))]
            start = first_day + timedelta(days=rng.randrange(span))
            start += timedelta(days=(6 - start.weekday()) % 7)  # courses begin on Sunday
            _offering(batch, ids, i, course, start, today, rng, people, nation_pick, nation_ids, users, standard)
        with transaction.atomic():
            for model in MODELS:
                bulk.insert(model, FIELDS[model], batch.rows[model])
        totals["offerings"] += len(batch.rows[Offering])
        totals["nominations"] += len(batch.rows[Nomination])
        totals["attendance"] += len(batch.rows[Attendance])
        totals["certificates"] += len(batch.rows[Certificate])
        totals["evaluations"] += len(batch.rows[questionnaires.Response])
        if (begin // BATCH) % 10 == 9 or begin + BATCH >= count:
            say(f"  offerings {totals['offerings']}, nominations {totals['nominations']}")
    totals["certificate_numbers"] = ids.certificates
    return totals


FIELDS = {
    Offering: ["id", "course", "area", "code", "start_date", "end_date", "venue_en", "venue_ar", "capacity",
               "admission",
               "nomination_deadline", "completion_threshold", "joining_instructions_en", "joining_instructions_ar",
               "status", "seats_taken", "director", "created_at", "updated_at", "search_document"],
    OfferingTransition: ["id", "offering", "from_status", "to_status", "by", "at", "reason"],
    Quota: ["id", "offering", "nation", "seats", "seats_taken"],
    Nomination: ["id", "offering", "person", "nation", "status", "submitted_at", "submitted_by", "updated_at"],
    NominationEvent: ["id", "nomination", "kind", "from_status", "to_status", "by", "at", "reason"],
    Attendance: ["id", "nomination", "date", "status", "recorded_by", "recorded_at"],
    # The names as printed are filled in from the people once all are written (dataset.py).
    Certificate: ["id", "nomination", "nation", "number", "code", "name_en", "name_ar", "course_en", "course_ar",
                  "start_date", "end_date", "issued_at", "issued_by", "revoked_at", "revoked_by", "revoke_reason"],
    **questionnaires.FIELDS,
}  # fmt: skip


def _offering(batch, ids, i, course, start, today, rng, people, nation_pick, nation_ids, users, standard):
    rows = batch.rows
    end = start + timedelta(days=course["days"] - 1)
    deadline = start - timedelta(days=21)
    status, lived = _status(start, end, deadline, today, rng)
    capacity = rng.randrange(10, 31)
    admission = "first_come" if rng.random() < 0.3 else "decision"
    director = users["directors"][i % len(users["directors"])]
    venue = rng.randrange(len(VENUES))
    pk = ids.take(Offering)
    code = f"{course['code']}-{start:%y}{i + 1:06d}"
    quotas = {}
    for nation in rng.sample(PARTNERS, rng.randrange(0, 5)):
        quotas[nation] = rng.randrange(2, 7)
    first = len(rows[Nomination])
    accepted, per_nation = _nominations(
        batch, ids, pk, lived, admission, capacity, quotas, start, end, deadline, today, rng, people, nation_pick,
        nation_ids, director, course,
    )  # fmt: skip
    for nation, seats in quotas.items():
        rows[Quota].append((ids.take(Quota), pk, nation_ids[nation], seats, per_nation.get(nation, 0)))
    document = f"{normalize.document(code)}{SHARED_MARK}{course['doc']} {VENUE_DOCS[venue]}"
    created = _at(deadline - timedelta(days=60), 9)
    rows[Offering].append((
        pk, course["pk"], course["area"], code, start, end, VENUES[venue][0], VENUES[venue][1], capacity, admission,
        deadline, 80,
        "", "", status, accepted, director, created, created, document,
    ))  # fmt: skip
    _transitions(rows, ids, pk, status, lived, deadline, start, end, today, director)
    if status == "completed":
        attended = [row[0] for row in rows[Nomination][first:] if row[4] in ("completed", "incomplete")]
        questionnaires.add(rows, ids, pk, end, attended, standard, _at)


def _transitions(rows, ids, pk, status, lived, deadline, start, end, today, director):
    steps = [("", "draft", deadline - timedelta(days=60))]
    order = ["open", "closed", "running", "completed"]
    days = {"open": deadline - timedelta(days=45), "closed": deadline + timedelta(days=1), "running": start,
            "completed": end}  # fmt: skip
    if lived != "draft":
        for state in order[: order.index(lived) + 1]:
            steps.append((steps[-1][1], state, min(days[state], today)))
    if status == "cancelled":
        steps.append((steps[-1][1], "cancelled", min(steps[-1][2] + timedelta(days=3), today)))
    for old, new, day in steps:
        reason = "Postponed at the request of the host nation." if new == "cancelled" else ""
        rows[OfferingTransition].append((ids.take(OfferingTransition), pk, old, new, director, _at(day, 9), reason))


def _nominations(batch, ids, offering, lived, admission, capacity, quotas, start, end, deadline, today, rng, people,
                 nation_pick, nation_ids, director, course):  # fmt: skip
    rows = batch.rows
    if lived == "draft":
        return 0, {}
    opened = deadline - timedelta(days=45)
    window = max((min(deadline, today) - opened).days, 1)
    chosen, seen = [], set()
    for _ in range(rng.randrange(5, 21)):
        nation = nation_pick(rng)
        person = people[nation][rng.randrange(len(people[nation]))]
        if person not in seen:
            seen.add(person)
            chosen.append((opened + timedelta(days=rng.randrange(window)), nation, person))
    chosen.sort()
    taken, per_nation = 0, {}
    decided = _at(min(deadline + timedelta(days=2), today), 11)
    for day, nation, person in chosen:
        pk = ids.take(Nomination)
        submitted = _at(day, 10)
        events = [("submitted", "", "submitted", None, submitted)]
        roll = rng.random()
        fits = taken < capacity and per_nation.get(nation, 0) < quotas.get(nation, capacity)
        if admission == "first_come":
            state = "accepted" if fits else "waitlisted"
            events.append(("automatic", "submitted", state, None, submitted))
            if roll < 0.05:
                events.append(("withdrawn", state, "withdrawn", None, submitted + timedelta(days=3)))
                state = "withdrawn"
        elif lived == "open" and roll < 0.4:
            state = "submitted"
        elif roll < 0.1:
            state = "declined"
            events.append(("decided", "submitted", "declined", director, decided))
        elif roll < 0.14:
            state = "withdrawn"
            events.append(("withdrawn", "submitted", "withdrawn", None, decided))
        else:
            state = "accepted" if fits else "waitlisted"
            events.append(("decided", "submitted", state, director, decided))
        if state == "accepted":
            taken += 1
            per_nation[nation] = per_nation.get(nation, 0) + 1
        if state == "accepted" and lived == "completed":
            state = _outcome(batch, ids, pk, start, end, rng, director, events)
            if state == "completed":
                _certificate(batch, ids, pk, nation_ids[nation], course, start, end, today, director)
        elif state == "accepted" and lived == "running":
            _attendance(batch, ids, pk, start, min(end, today), rng, director, 0.95)
        rows[Nomination].append((pk, offering, person, nation_ids[nation], state, submitted, None, events[-1][4]))
        for kind, old, new, by, at in events:
            rows[NominationEvent].append((ids.take(NominationEvent), pk, kind, old, new, by, at, ""))
    return taken, per_nation


REVOKED = "Issued in error: the participant's attendance was corrected."


def _certificate(batch, ids, nomination, nation, course, start, end, today, director):
    """Issued within a fortnight of the end; one in a hundred revoked. Drawn from the
    nomination's id, not the offering's random stream, so that the rest of the set stays as it
    was."""
    digest = hashlib.blake2b(f"certificate-{nomination}".encode(), digest_size=17).digest()
    issued = _at(min(end + timedelta(days=digest[16] % 14), today), 12)
    revoked = digest[0] < 3
    code = base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")
    revoking = (issued + timedelta(days=30), director, REVOKED) if revoked else (None, None, "")
    batch.rows[Certificate].append((
        ids.take(Certificate), nomination, nation, ids.certificate_number(end.year), code, "", "", course["title_en"],
        course["title_ar"], start, end, issued, director, *revoking,
    ))  # fmt: skip


def _outcome(batch, ids, pk, start, end, rng, director, events):
    days = (end - start).days + 1
    roll = rng.random()
    if roll < 0.07 or (days == 1 and roll < 0.12):
        outcome, share = "no_show", 0.0
    elif roll < 0.18 and days > 2:
        outcome, share = "incomplete", 0.5
    else:
        outcome, share = "completed", 1.0
    _attendance(batch, ids, pk, start, end, rng, director, share, exact=True)
    events.append(("outcome", "accepted", outcome, director, _at(end, 17)))
    return outcome


def _attendance(batch, ids, pk, start, last, rng, director, share, exact=False):
    days = (last - start).days + 1
    present_days = round(days * share) if exact else None
    for n in range(days):
        here = n < present_days if exact else rng.random() < share
        status = "present" if here else ("excused" if rng.random() < 0.3 else "absent")
        day = start + timedelta(days=n)
        batch.rows[Attendance].append((ids.take(Attendance), pk, day, status, director, _at(day, 16)))
