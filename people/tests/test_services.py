import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError, NotAllowed
from core.testing.factories import OfferingFactory, PersonFactory, nation
from nominations import services as nominations
from people import services
from people.models import Person, PersonMerge


@pytest.mark.django_db
class TestPersonRecords:
    def test_focal_point_adds_to_own_nation_only(self, users):
        person = services.person_create(by=users["focal"], name_en="  Hamad   Al-Mutairi ", email="H@X.org")
        assert (person.nation.code, person.name_en, person.email) == ("KWT", "Hamad Al-Mutairi", "h@x.org")
        with pytest.raises(NotAllowed):
            services.person_create(by=users["focal"], name_en="Ali", nation=nation("BHR"))

    def test_a_name_is_required(self, users):
        with pytest.raises(ValidationError) as error:
            services.person_create(by=users["admin"], nation=nation("KWT"), email="a@b.org")
        assert "name_ar" in error.value.message_dict
        assert not Person.objects.exists()

    @pytest.mark.parametrize("role", ["observer", "participant", "instructor"])
    def test_others_cannot_add(self, users, role):
        with pytest.raises(NotAllowed):
            services.person_create(by=users[role], name_en="Ali", nation=nation("KWT"))

    def test_focal_point_cannot_move_a_person_to_another_nation(self, users):
        person = PersonFactory(nation=nation("KWT"))
        with pytest.raises(NotAllowed):
            services.person_update(by=users["focal"], person=person, nation=nation("BHR"))


@pytest.mark.django_db
class TestMerge:
    def test_nominations_move_blanks_fill_and_the_merge_is_recorded(self, users):
        keep = PersonFactory(nation=nation("KWT"), name_en="Mohammed Al-Enezi", name_ar="", phone="")
        dupe = PersonFactory(nation=nation("KWT"), name_en="Mohamed Al Anezi", name_ar="محمد العنزي", phone="+965 1")
        nomination = nominations.nomination_submit(by=users["focal"], offering=OfferingFactory(), person=dupe)
        merge = services.person_merge(by=users["admin"], survivor=keep, merged=dupe, reason="Same passport")
        nomination.refresh_from_db()
        keep.refresh_from_db()
        assert nomination.person == keep and nomination.events.last().kind == "merged"
        assert (keep.name_ar, keep.phone) == ("محمد العنزي", "+965 1")
        assert merge.moved["nominations"] == 1 and merge.snapshot["name_en"] == "Mohamed Al Anezi"
        assert PersonMerge.objects.get().reason == "Same passport"
        assert not Person.objects.visible_to(users["admin"]).filter(pk=dupe.pk).exists()

    def test_both_nominated_to_one_offering_is_refused(self, users):
        offering = OfferingFactory(code="X-1")
        a, b = PersonFactory(), PersonFactory()
        for person in (a, b):
            nominations.nomination_submit(by=users["focal"], offering=offering, person=person)
        with pytest.raises(DomainError) as refused:
            services.person_merge(by=users["admin"], survivor=a, merged=b)
        assert "X-1" in refused.value.message
        assert not PersonMerge.objects.exists()

    def test_only_staff_merge_and_only_within_a_nation(self, users):
        a, b = PersonFactory(nation=nation("KWT")), PersonFactory(nation=nation("BHR"))
        with pytest.raises(NotAllowed):
            services.person_merge(by=users["focal"], survivor=a, merged=b)
        with pytest.raises(DomainError):
            services.person_merge(by=users["admin"], survivor=a, merged=b)
