"""`rush`: many focal points nominating to first-come offerings at the same moment, as before a
deadline. Reports nominations per second, and checks against the database that none was lost
and no seat or quota over-filled."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from nominations.models import Nomination
from people.models import Person
from training.models import Offering, Quota

SEATED = ["accepted", "completed", "incomplete", "no_show"]


def run(port, rng, clients, client_for, token_for):
    today = timezone.localdate()
    offerings = list(
        Offering.objects.filter(status="open", admission="first_come", nomination_deadline__gte=today)
        .order_by("?")[:6]
        .values_list("pk", flat=True)
    )
    focal = {u.nation_id: u for u in User.objects.filter(role="focal_point", username__startswith="bench-")}
    people = list(
        Person.objects.filter(nation__in=list(focal)).exclude(nominations__offering__in=offerings)
        .order_by("?")[:clients].values_list("pk", "nation_id")
    )  # fmt: skip
    tokens = {nation: token_for(user) for nation, user in focal.items()}
    jobs = [(rng.choice(offerings), person, nation) for person, nation in people]
    before = set(Nomination.objects.filter(offering__in=offerings).values_list("pk", flat=True))
    barrier = threading.Barrier(len(jobs))
    answers = []

    def nominate(job):
        offering, person, nation = job
        client = client_for(port, token=tokens[nation])
        barrier.wait()
        status, _queries, body = client.post_json("/api/v1/nominations/", {"offering": offering, "person": person})
        return status, body

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(nominate, jobs))
    elapsed = time.perf_counter() - started

    created = {json.loads(body)["id"] for status, body in answers if status == 201}
    after = set(Nomination.objects.filter(offering__in=offerings).values_list("pk", flat=True)) - before
    lost = len(created - after) + len(after - created)
    return {
        "clients": len(jobs),
        "requests": len(answers),
        "created": len(created),
        "refused": sum(1 for status, _ in answers if status == 409),
        "errors": sum(1 for status, _ in answers if status >= 500 or status in (400, 401, 403, 404)),
        "per_second": round(len(created) / elapsed, 1),
        "seconds": round(elapsed, 2),
        "lost": lost,
        "overfilled": overfilled(offerings),
    }


def overfilled(offerings):
    """Offerings or quotas holding more accepted than seats, or whose kept counts are wrong."""
    bad = 0
    for offering in Offering.objects.filter(pk__in=offerings).annotate(
        seated=Count("nominations", filter=Q(nominations__status__in=SEATED))
    ):
        bad += offering.seated > offering.capacity or offering.seated != offering.seats_taken
    for quota in Quota.objects.filter(offering__in=offerings):
        seated = Nomination.objects.filter(
            offering=quota.offering_id, nation=quota.nation_id, status__in=SEATED
        ).count()
        bad += seated > quota.seats or seated != quota.seats_taken
    return bad
