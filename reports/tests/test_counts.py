import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.demo import load_demo
from core.testing.factories import OfferingFactory, PersonFactory
from nominations import services
from nominations.models import Nomination
from reports.counts import recount
from reports.models import STATES, AreaYearCount, NationYearCount, NominationCount
from training import services as training
from training.models import Offering


def snapshot():
    """The non-zero counts of each (year, nation, area), and each nation's and area's of a year."""
    return {
        (type(c).__name__, c.year, getattr(c, "nation_id", None), getattr(c, "area_id", None)): tuple(
            getattr(c, s) for s in STATES
        )
        for model in (NominationCount, NationYearCount, AreaYearCount)
        for c in model.objects.all()
        if any(getattr(c, s) for s in STATES)
    }


@pytest.mark.django_db
def test_maintained_counts_equal_a_fresh_count_after_a_year_of_activity(users):
    load_demo()
    offering = OfferingFactory(director=users["director"], capacity=1, admission="first_come")
    first, second = PersonFactory(), PersonFactory()
    a = services.nomination_submit(by=users["focal"], offering=offering, person=first)
    services.nomination_submit(by=users["focal"], offering=offering, person=second)
    services.nomination_withdraw(by=users["focal"], nomination=a)  # promotes the second
    kept = snapshot()
    assert {key[0] for key in kept} == {"NominationCount", "NationYearCount", "AreaYearCount"}
    recount()
    assert snapshot() == kept


@pytest.mark.django_db
def test_a_nominations_counts_are_written_in_one_statement_on_postgresql(users):
    """The three tables' rows, made or added to, in one round trip (reports.counts._upsert)."""
    offering = OfferingFactory(director=users["director"])
    for made in (True, False):
        with CaptureQueriesContext(connection) as queries:
            services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
        writes = [q["sql"] for q in queries if '"reports_' in q["sql"]]
        if connection.vendor == "postgresql":
            assert len(writes) == 1, made
        for model in (NominationCount, NationYearCount, AreaYearCount):
            assert model.objects.get().submitted == (1 if made else 2)


@pytest.mark.django_db
def test_an_offering_moved_to_another_year_takes_its_counts(users):
    offering = OfferingFactory(director=users["director"])
    services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory())
    year = offering.start_date.year
    training.offering_update(
        by=users["director"],
        offering=offering,
        start_date=offering.start_date.replace(year=year + 1),
        end_date=offering.end_date.replace(year=year + 1),
        nomination_deadline=offering.nomination_deadline.replace(year=year + 1),
    )
    for model in (NominationCount, NationYearCount, AreaYearCount):
        assert not model.objects.filter(year=year, submitted__gt=0).exists()
        assert model.objects.get(year=year + 1).submitted == 1


@pytest.mark.django_db
def test_a_failed_nomination_counts_nothing(users):
    offering = OfferingFactory(director=users["director"])
    person = PersonFactory()
    services.nomination_submit(by=users["focal"], offering=offering, person=person)
    with pytest.raises(services.DomainError):
        services.nomination_submit(by=users["focal"], offering=offering, person=person)
    assert NominationCount.objects.get().submitted == 1


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_annual_page_by_nation_and_area(as_user, users, lang):
    load_demo()
    year = timezone.localdate().year
    with translation.override(lang):
        path = reverse("reports:annual", args=[year])
    client = as_user(users["observer"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="by-nation"' in html
    assert ("الكويت" if lang == "ar" else "Kuwait") in html
    mine = Nomination.objects.filter(offering__start_date__year=year, nation__code="KWT")
    seated = mine.filter(status__in=["accepted", "completed", "incomplete", "no_show"]).count()
    completed, waiting = mine.filter(status="completed").count(), mine.filter(status="waitlisted").count()
    declined = mine.filter(status="declined").count()
    kuwait = "الكويت" if lang == "ar" else "Kuwait"
    figures = [f'<td class="text-end">{n}</td>' for n in (mine.count(), seated, completed, waiting, declined)]
    assert f"<tr><td>{kuwait}</td>{''.join(figures)}</tr>" in html
    # the session with its user, and one statement: totals by nation and area, offerings by area,
    # first and last years
    assert len(queries) == 2
    offerings = Offering.objects.filter(start_date__year=year).count()
    assert f'<div class="fs-4">{offerings}</div>' in html
    first, last = NominationCount.objects.order_by("year")[0].year, NominationCount.objects.order_by("-year")[0].year
    years = [int(y) for y in re.findall(r'class="page-link" href="[^"]+">(\d{4})<', html)]
    assert years == list(range(last, first - 1, -1))
    assert as_user(users["focal"]).get(path).status_code == 403


def offerings_kept():
    from reports.models import OfferingYearCount

    return {(c.year, c.area_id): c.offerings for c in OfferingYearCount.objects.all() if c.offerings}


def offerings_counted():
    from collections import Counter

    return dict(Counter((o.start_date.year, o.area_id) for o in Offering.objects.all()))


@pytest.mark.django_db
def test_the_offerings_of_each_year_are_counted_however_they_change(users, as_user):
    """The yearly figures' offerings by area are counts kept by triggers on the offerings' table
    (reports.offerings): offerings made one by one or in bulk, moved to another year or area
    through the services or written straight to the table, and removed, all move them."""
    from partners.models import Area

    load_demo()
    year = timezone.localdate().year
    assert offerings_kept() == offerings_counted()
    made = OfferingFactory(director=users["director"], start_date=timezone.localdate().replace(year=year + 1, month=3))
    Offering.objects.bulk_create(
        [OfferingFactory.build(course=made.course, area=made.area, code=f"BULK-{n}") for n in range(3)]
    )
    assert offerings_kept() == offerings_counted()
    training.offering_update(
        by=users["director"],
        offering=made,
        start_date=made.start_date.replace(year=year + 2),
        end_date=made.end_date.replace(year=year + 2),
        nomination_deadline=made.nomination_deadline.replace(year=year + 2),
    )
    other = Area.objects.exclude(pk=made.area_id).first()
    Offering.objects.filter(code__startswith="BULK-").update(area=other)
    made.refresh_from_db()
    dates = {f: getattr(made, f) for f in ("start_date", "end_date", "nomination_deadline")}
    Offering.objects.filter(code="BULK-0").update(**dates)
    Offering.objects.filter(code="BULK-1").delete()
    assert offerings_kept() == offerings_counted()
    assert offerings_kept()[(year + 2, made.area_id)] == 1

    page = as_user(users["observer"]).get(reverse("reports:annual", args=[year + 2])).content.decode()
    assert f'<div class="fs-4">{Offering.objects.filter(start_date__year=year + 2).count()}</div>' in page


@pytest.mark.django_db
def test_counts_of_offerings_come_back_after_sqlite_drops_their_triggers():
    """A migration that rebuilds the offerings' table on SQLite drops its triggers; after migrating
    they are put back and the offerings counted again."""
    from reports.offerings import TRIGGERS, repair_sqlite_triggers

    if connection.vendor != "sqlite":
        pytest.skip("SQLite drops triggers with a rebuilt table")
    OfferingFactory()
    with connection.cursor() as cursor:
        for trigger in TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
    OfferingFactory()
    assert offerings_kept() != offerings_counted()
    repair_sqlite_triggers()
    assert offerings_kept() == offerings_counted()
    OfferingFactory()
    assert offerings_kept() == offerings_counted()
