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


@pytest.mark.django_db
def test_a_compiled_read_of_one_record_is_the_orms_for_each_reader(users):
    """Compiled.one: the record, its related record in place, as the ORM reads them, among what
    each reader may see (the key of its build); found by a text value (a code)."""
    from core.plain import Compiled
    from core.visibility import FOR_EACH_KIND_OF_USER
    from training.models import Offering, Status

    reads = Compiled(
        lambda user, code: Offering.objects.visible_to(user).filter(code=code).values("pk"), 1, **FOR_EACH_KIND_OF_USER
    )
    OfferingFactory(code="DRF-1", status=Status.DRAFT)
    OfferingFactory(code="PUB-1", status=Status.OPEN)
    for who, code in [("admin", "DRF-1"), ("focal", "PUB-1"), ("admin", "PUB-1")]:
        record = reads.one(users[who], code, model=Offering, related="course")
        expected = Offering.objects.select_related("course").get(code=code)
        for field in Offering._meta.concrete_fields:
            assert getattr(record, field.attname) == getattr(expected, field.attname), field.name
            assert type(getattr(record, field.attname)) is type(getattr(expected, field.attname)), field.name
        assert record.course.title_en == expected.course.title_en and record.course.pk == expected.course_id
    with pytest.raises(Offering.DoesNotExist):
        reads.one(users["focal"], "DRF-1", model=Offering, related="course")
    with pytest.raises(Offering.DoesNotExist):
        reads.one(users["admin"], "NONE-1", model=Offering)


@pytest.mark.django_db
def test_a_read_built_once_for_a_kind_of_user_reaches_only_what_each_user_of_it_may_see(users):
    """Two focal points, two directors, two instructors: each pair shares one compiled read, in
    which each user's own id and nation are put. Neither sees what only the other may."""
    from accounts.models import Role
    from core.plain import Compiled
    from core.testing.factories import UserFactory, nation
    from core.visibility import FOR_EACH_KIND_OF_USER
    from people.models import Person
    from training.models import Offering, Status

    people = Compiled(
        lambda user, pk: Person.objects.visible_to(user).filter(pk=pk).values("pk"), 1, **FOR_EACH_KIND_OF_USER
    )
    kuwaiti, bahraini = PersonFactory(nation=nation("KWT")), PersonFactory(nation=nation("BHR"))
    seen = {
        (who, person.nation.code): people.rows(users[who], person.pk) != []
        for who in ("focal", "focal_other")
        for person in (kuwaiti, bahraini)
    }
    assert seen == {("focal", "KWT"): True, ("focal", "BHR"): False, ("focal_other", "KWT"): False,
                    ("focal_other", "BHR"): True}  # fmt: skip
    assert len(people._compiled) == 1

    drafts = Compiled(lambda user, code: Offering.objects.visible_to(user).filter(code=code).values("pk"), 1,
                      **FOR_EACH_KIND_OF_USER)  # fmt: skip
    OfferingFactory(code="MINE-1", status=Status.DRAFT, director=users["director"])
    teacher, other_teacher = users["instructor"], UserFactory(username="t-instructor2", role=Role.INSTRUCTOR)
    taught = OfferingFactory(code="TAUGHT-1", status=Status.DRAFT)
    taught.instructors.add(other_teacher)
    assert [bool(drafts.rows(user, "TAUGHT-1")) for user in (teacher, other_teacher)] == [False, True]
    assert [bool(drafts.rows(user, "MINE-1")) for user in (users["director"], users["director_other"])] == [True, False]
    assert len(drafts._compiled) == 2  # one for the instructors, one for the directors
