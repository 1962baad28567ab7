"""Every page and API list a reader reaches, timed in process on the benchmark's working copy
(build it first with `make bench`; BENCH_WORK_URL for PostgreSQL's):

    python -m bench.sweep bench-admin bench-focal-kwt anonymous [--over 15]

The scenarios measure what the bench's users do most; this finds what they do less and what no
scenario covers. Each page is read once to warm up, then timed three times; the median of those
is shown when it is over `--over` milliseconds (all of them with --over 0). Compare the figures
with each other, not with make bench's (in process, without HTTP)."""

import argparse
import statistics
import time

from bench.profile import setup


def _pages(reader):
    """The paths to read: each list unfiltered and with common filters, the pages of the
    offerings with the most seats taken, and a course's, a person's and a nomination's the reader
    sees."""
    from nominations.models import Nomination
    from people.models import Person
    from training.models import Course, Offering

    largest = Offering.objects.filter(status="completed").order_by("-seats_taken").values_list("code", flat=True)[:1]
    open_one = Offering.objects.filter(status="open").order_by("-seats_taken").values_list("code", flat=True)[:1]
    big, taking = (largest[0] if largest else ""), (open_one[0] if open_one else "")
    course = Course.objects.values_list("code", flat=True).first()
    person = Person.objects.visible_to(reader).values_list("pk", flat=True).first()
    nomination = Nomination.objects.visible_to(reader).values_list("pk", flat=True).first()
    paths = [
        "/en/", "/en/catalogue/", "/en/calendar.ics", f"/en/catalogue/offerings/{big}/",
        f"/en/catalogue/offerings/{taking}/", f"/en/catalogue/courses/{course}/", "/en/dashboard/",
        "/en/people/", f"/en/people/{person}/", "/en/people/matches/?name=Mohammed", "/en/nominations/",
        "/en/nominations/?status=completed", f"/en/nominations/{nomination}/", "/en/nominations/new/",
        f"/en/nominations/new/{taking}/", f"/en/nominations/new/{taking}/people/?q=mohammed",
        f"/en/manage/offerings/{big}/nominations/", f"/en/manage/offerings/{big}/attendance/",
        f"/en/manage/offerings/{big}/evaluation/", f"/en/manage/courses/{course}/evaluation/",
        f"/en/manage/offerings/{big}/certificates/", "/en/manage/courses/", "/en/manage/offerings/",
        "/en/manage/offerings/?when=past", "/en/reports/year/", "/en/certificates/", "/en/accounts/profile/",
        "/api/v1/nations/", "/api/v1/areas/", "/api/v1/courses/", "/api/v1/offerings/",
        "/api/v1/offerings/?page=1000", "/api/v1/people/", "/api/v1/nominations/", "/api/v1/certificates/",
        "/api/v1/certificates/?page=40", f"/api/v1/people/{person}/", f"/api/v1/nominations/{nomination}/",
        "/api/schema/",
    ]  # fmt: skip
    return [path for path in paths if "/None/" not in path]  # no record of that kind to show


def sweep(username, over):
    """(milliseconds, status, path) of each page `username` ("anonymous" for nobody) reads in
    more than `over` ms, slowest first."""
    from django.test import Client

    from accounts.models import User

    client, reader = Client(HTTP_HOST="127.0.0.1"), None
    if username != "anonymous":
        reader = User.objects.get(username=username)
        client.force_login(reader)
    found = []
    for path in _pages(reader):
        client.get(path)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        if statistics.median(times) > over:
            found.append((statistics.median(times), response.status_code, path))
    return sorted(found, reverse=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("readers", nargs="+", help="usernames of the data set, or 'anonymous'")
    parser.add_argument("--over", type=float, default=15.0)
    args = parser.parse_args()
    setup()
    import logging

    logging.disable(logging.WARNING)  # a reader's refusals (403, 404) are expected, not news
    for username in args.readers:
        for ms, status, path in sweep(username, args.over):
            print(f"{username:20s} {ms:8.1f} ms  {status}  {path}")


if __name__ == "__main__":
    main()
