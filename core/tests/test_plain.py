"""Plain reads must read what the ORM reads."""

import pytest

from core.plain import RowsById
from core.testing.factories import OfferingFactory, PersonFactory
from nominations import services
from nominations.models import Nomination
from nominations.templatetags import nomination_rows
from training.templatetags import offering_cards


@pytest.mark.django_db
def test_rows_by_id_are_the_orms_values_with_dates_times_and_related_fields(users):
    offerings = [OfferingFactory() for _ in range(3)]
    made = [
        services.nomination_submit(by=users["focal"], offering=offering, person=PersonFactory()).pk
        for offering in offerings
    ]
    reader = RowsById(Nomination, nomination_rows.FIELDS)
    read = reader.read([*made, 987654])
    expected = Nomination.objects.filter(pk__in=made).values("pk", *nomination_rows.FIELDS)
    assert read == {row["pk"]: row for row in expected} and len(read) == 3
    assert read[made[0]]["offering__start_date"] == offerings[0].start_date
    cards = RowsById(type(offerings[0]), offering_cards.FIELDS).read([o.pk for o in offerings])
    assert cards[offerings[1].pk]["course__title_en"] == offerings[1].course.title_en
    assert reader.read([]) == {}
