"""Reference data is loaded by migrations, with the exact values the standards define."""

import pytest

from ctip.reference import selectors
from ctip.reference.models import Country, County, HtcdsValue, Indicator, Offence

pytestmark = pytest.mark.django_db


def test_counties_and_countries_loaded():
    assert County.objects.count() == 47
    assert County.objects.get(code="001").name == "Mombasa"
    assert County.objects.get(code="047").name == "Nairobi City"
    assert Country.objects.filter(alpha2="KE").exists()
    assert Country.objects.count() >= 249


def test_htcds_value_sets_have_exact_names():
    assert [n for n, _ in selectors.htcds_values("vic_TypeOfExploitation")] == [
        "ForcedLabour",
        "SexualExploitation",
        "ChildLabour",
        "ForcedMarriage",
        "Servitude",
        "ForcedMilitaryByNonStateActors",
        "OrganRemoval",
        "ForcedBegging",
        "ForcedAdoption",
        "Surrogacy",
        "Other",
    ]
    assert selectors.htcds_value_codes("cas_Status") == {"Active", "FollowUp", "Closed", "ClosedReferred"}
    assert selectors.htcds_value_codes("hte_Type") == {"Recruitment", "Transit", "Exploitation"}
    assert "NonSpecifiedUnknown" in selectors.htcds_value_codes("prs_Gender")
    assert "" not in set(HtcdsValue.objects.values_list("name", flat=True))
    assert len(selectors.htcds_fields()) == 21


def test_htcds_org_types_cover_agency_mapping():
    from ctip.accounts.enums import HTCDS_ORG_TYPE

    assert set(HTCDS_ORG_TYPE.values()) <= selectors.htcds_value_codes("org_Type")


def test_people_gender_enum_matches_htcds():
    from ctip.people.enums import Gender

    assert set(Gender.values) == selectors.htcds_value_codes("prs_Gender")


def test_ctip_act_offences_s3_to_s10():
    sections = list(Offence.objects.filter(statute="ctip_act").values_list("section", flat=True))
    assert sections == [str(n) for n in range(3, 11)]
    s3 = Offence.objects.get(code="ctipa-3")
    assert (s3.min_years, s3.min_fine_kes, s3.life_on_subsequent) == (30, 30_000_000, True)
    related = set(Offence.objects.exclude(statute="ctip_act").values_list("statute", flat=True))
    assert {"penal_code", "sexual_offences", "immigration", "labour_institutions", "employment"} <= related


def test_delphi_catalogue_loaded_with_stable_codes():
    assert Indicator.objects.count() == 132
    assert Indicator.objects.filter(indicator_list="adult_labour").count() == 67
    assert Indicator.objects.filter(indicator_list="child_labour").count() == 65
    first = Indicator.objects.get(code="AL-DR-01")
    assert first.strength == "strong" and first.text.startswith("Deceived about the nature of the job")
    assert not Indicator.objects.filter(indicator_list="child_labour", strength="weak").exists()
