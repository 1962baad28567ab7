import pytest

from partners.models import Area, Membership, Nation, Organisation, PartnershipGroup
from partners.reference import load_reference_data


@pytest.mark.django_db
def test_reference_data_is_complete():
    nato = PartnershipGroup.objects.get(code="NATO")
    assert nato.nations.count() == 32
    ici = Membership.objects.filter(group__code="ICI").select_related("nation")
    assert {m.nation.code for m in ici} == {"KWT", "BHR", "QAT", "ARE"}
    assert all(m.joined_on for m in ici)
    assert {"SAU", "OMN"} <= set(PartnershipGroup.objects.get(code="GCC").nations.values_list("code", flat=True))
    assert PartnershipGroup.objects.get(code="MD").nations.count() == 7
    assert Area.objects.count() >= 8
    assert Organisation.objects.filter(nation__isnull=True).exists()
    assert Organisation.objects.filter(nation__code="KWT").exists()
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in n.name_ar) for n in Nation.objects.all())


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = (Nation.objects.count(), Membership.objects.count(), Organisation.objects.count())
    load_reference_data()
    assert before == (Nation.objects.count(), Membership.objects.count(), Organisation.objects.count())
