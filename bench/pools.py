"""Realistic, varied requests for each scenario, drawn from the data set itself."""

from datetime import date
from urllib.parse import urlencode

from django.utils import timezone

from accounts.models import User
from bench.measure import ARABIC_QUERIES
from certificates.models import Certificate
from nominations.models import Nomination
from partners.models import Area
from people.models import Person
from training.models import Offering, Status

STATES = ["open", "closed", "running", "completed", "cancelled"]


def _paths(rng, size, make):
    return [make(rng) for _ in range(size)]


def scenarios(port, rng, size, client_for, session_for, token_for):
    today = timezone.localdate()
    anonymous = client_for(port)
    areas = list(Area.objects.values_list("code", flat=True))
    years = list(range(today.year - 18, today.year + 1))
    plan = {}

    def get(client, path):
        return lambda: client.get(path)

    plan["floor"] = [get(anonymous, f"/{rng.choice(['en', 'ar'])}/about/") for _ in range(size)]

    def catalogue(rng):
        query = {"area": rng.choice(areas), "status": rng.choice(["", *STATES]), "page": rng.randint(1, 5)}
        if rng.random() < 0.3:
            query["month"] = f"{rng.choice(years)}-{rng.randint(1, 12):02d}"
            query["page"] = 1
        if rng.random() < 0.2:
            query["language"] = rng.choice(["ar", "en"])
        query = {k: v for k, v in query.items() if v != ""}
        return get(anonymous, f"/{rng.choice(['en', 'ar'])}/catalogue/?{urlencode(query)}")

    plan["catalogue_list"] = _paths(rng, size, catalogue)
    plan["catalogue_search_ar"] = _paths(
        rng, size, lambda rng: get(anonymous, f"/ar/catalogue/?{urlencode({'q': rng.choice(ARABIC_QUERIES)})}")
    )

    offerings = list(
        Offering.objects.filter(status__in=[Status.OPEN, Status.CLOSED, Status.RUNNING, Status.COMPLETED])
        .filter(pk__in=_spread(Offering, rng, size * 3))
        .values_list("code", "director_id")[:size]
    )
    directors = {pk: client_for(port, cookie=session_for(User.objects.get(pk=pk))) for _c, pk in offerings}
    plan["offering_roster"] = [
        get(directors[director], f"/{rng.choice(['en', 'ar'])}/manage/offerings/{code}/nominations/")
        for code, director in offerings
    ]
    ran = list(
        Offering.objects.filter(status__in=[Status.RUNNING, Status.COMPLETED])
        .filter(pk__in=_spread(Offering, rng, size * 3))
        .values_list("code", "director_id")[:size]
    )
    directors |= {
        pk: client_for(port, cookie=session_for(User.objects.get(pk=pk))) for _c, pk in ran if pk not in directors
    }
    plan["attendance_grid"] = [
        get(directors[director], f"/{rng.choice(['en', 'ar'])}/manage/offerings/{code}/attendance/")
        for code, director in ran
    ]

    focal_points = list(User.objects.filter(role="focal_point", username__startswith="bench-focal-"))
    heavy = [u for u in focal_points if u.username[-3:] in ("kwt", "bhr", "qat", "are", "sau", "omn")]
    focal_clients = {u.pk: client_for(port, cookie=session_for(u)) for u in heavy + rng.sample(focal_points, 10)}

    def nominations(rng):
        user = rng.choice(list(focal_clients))
        query = {
            "status": rng.choice(["", "submitted", "accepted", "waitlisted", "completed"]),
            "page": rng.randint(1, 4),
        }
        return get(focal_clients[user], f"/{rng.choice(['en', 'ar'])}/nominations/?{urlencode(query)}")

    plan["focal_point_nominations"] = _paths(rng, size, nominations)

    def certificates(rng):
        query = urlencode({"page": rng.randint(1, 4)})
        return get(focal_clients[rng.choice(list(focal_clients))], f"/{rng.choice(['en', 'ar'])}/certificates/?{query}")

    plan["certificate_list"] = _paths(rng, size, certificates)
    codes = list(Certificate.objects.filter(pk__in=_spread(Certificate, rng, size * 2)).values_list("code", flat=True))
    plan["certificate_verify"] = _paths(
        rng, size, lambda rng: get(anonymous, f"/{rng.choice(['en', 'ar'])}/verify/{rng.choice(codes)}/")
    )
    plan["nomination_submit"] = _submissions(port, rng, size, client_for, token_for)

    admin = User.objects.get(username="bench-admin")
    staff = client_for(port, cookie=session_for(admin))
    people = list(Person.objects.filter(pk__in=_spread(Person, rng, size * 2)).values_list("name_ar", "name_en"))

    def people_search(rng):
        name_ar, name_en = rng.choice(people)
        words = (name_ar if name_ar and rng.random() < 0.5 else name_en).split()
        query = " ".join(words[: rng.randint(1, min(2, len(words)))])
        return get(staff, f"/{rng.choice(['en', 'ar'])}/people/?{urlencode({'q': query})}")

    plan["people_search"] = _paths(rng, size, people_search)

    nation_codes = list(User.objects.filter(pk__in=[u.pk for u in focal_points]).values_list("nation__code", flat=True))

    def staff_nominations(rng):
        query = {"status": rng.choice(["", "", "submitted", "accepted", "waitlisted", "completed"]),
                 "page": rng.randint(1, 4)}  # fmt: skip
        if rng.random() < 0.3:
            query["nation"] = rng.choice(nation_codes)
        query = {k: v for k, v in query.items() if v != ""}
        return get(staff, f"/{rng.choice(['en', 'ar'])}/nominations/?{urlencode(query)}")

    plan["staff_nominations"] = _paths(rng, size, staff_nominations)
    staff_api = client_for(port, token=token_for(admin))
    nations = dict(Person.objects.filter(pk__in=_spread(Person, rng, size)).values_list("name_en", "nation__code"))

    def matches(rng):
        name_ar, name_en = rng.choice(people)
        name = name_ar if name_ar and rng.random() < 0.4 else name_en
        query = {"name": name.replace("Mohammed", "Mohamed").replace("Al-", "Al ")}
        if rng.random() < 0.5 and name_en in nations:
            query["nation"] = nations[name_en]
        return get(staff_api, f"/api/v1/people/matches/?{urlencode(query)}")

    plan["person_matches"] = _paths(rng, size, matches)
    observer = client_for(port, cookie=session_for(User.objects.get(username="bench-observer")))
    plan["annual_stats"] = _paths(
        rng, size, lambda rng: get(observer, f"/{rng.choice(['en', 'ar'])}/reports/year/{rng.choice(years)}/")
    )

    def api_offerings(rng):
        status = rng.choice(STATES)
        # Only the past has pages enough everywhere; a client asks for pages that exist.
        page = rng.randint(1, 3) if status in ("completed", "cancelled") else 1
        query = {"status": status, "area": rng.choice(areas), "page": page}
        if rng.random() < 0.3:
            query["start_after"] = date(rng.choice(years[:-3]), 1, 1).isoformat()
            query["page"] = 1
        return get(anonymous, f"/api/v1/offerings/?{urlencode(query)}")

    plan["api_offerings_list"] = _paths(rng, size, api_offerings)
    return plan


def _spread(model, rng, count):
    """About `count` primary keys spread over the whole table, without reading it."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return sorted({rng.randint(1, last) for _ in range(count)})


def _submissions(port, rng, size, client_for, token_for):
    """POSTs of new nominations: a focal point's own people to open offerings, none twice."""
    today = timezone.localdate()
    open_offerings = list(
        Offering.objects.filter(status=Status.OPEN, nomination_deadline__gte=today).values_list("pk", flat=True)
    )
    focal_points = {u.nation_id: u for u in User.objects.filter(role="focal_point", username__startswith="bench-")}
    tokens = {}
    calls, used = [], set()
    candidates = Person.objects.filter(pk__in=_spread(Person, rng, size * 4), nation__in=list(focal_points))
    for person, nation in candidates.values_list("pk", "nation_id"):
        offering = rng.choice(open_offerings)
        if (offering, person) in used or Nomination.objects.filter(offering=offering, person=person).exists():
            continue
        used.add((offering, person))
        if nation not in tokens:
            tokens[nation] = client_for(port, token=token_for(focal_points[nation]))
        client = tokens[nation]
        calls.append(
            lambda c=client, o=offering, p=person: c.post_json("/api/v1/nominations/", {"offering": o, "person": p})
        )
        if len(calls) >= size:
            break
    if len(calls) < size:
        raise RuntimeError("not enough people to nominate; generate a larger data set")
    return calls
