"""Services by pillar: service categories carry CCSPP pillars (seeded defaults, edited through
the vocabulary service and the admin), and packs count referrals per pillar of their need."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import AuditEntry, EquityFocusGroup, Pillar, ServiceCategory
from crm.reports.pack_render import pack_tables, pack_text
from crm.reports.packs import ReferralLine, referrals_by_pillar
from crm.selectors.packs import district_pack, school_pack
from crm.services.reference import vocabularies_seed
from crm.services.vocabulary import SERVICE_CATEGORY_PILLARS, vocabulary_term_save
from tests.factories import make_partner, make_referral, make_school, make_service_category

FY = 2025
PILLARS = {"food": ("integrated_supports",), "family": ("family_engagement", "extended_learning")}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((), ()),
        ((ReferralLine("food", "referred", 3),), (("integrated_supports", 3),)),
        (
            (ReferralLine("food", "referred", 3), ReferralLine("food", "completed", 4)),
            (("integrated_supports", 7),),
        ),
        (
            (ReferralLine("family", "referred", 2), ReferralLine("food", "referred", 1)),
            (("extended_learning", 2), ("family_engagement", 2), ("integrated_supports", 1)),
        ),
        # A need no tagged service meets counts under no pillar.
        ((ReferralLine("other", "referred", 5),), ()),
    ],
)
def test_referrals_are_counted_once_under_each_pillar_of_their_need(lines, expected):
    assert referrals_by_pillar(lines, PILLARS) == expected


def test_two_categories_of_one_need_sharing_a_pillar_count_a_referral_once(ccspp):
    basic = make_service_category("Clothing and basic needs", slug="basic-needs")
    supports = Pillar.objects.get(code="integrated_supports")
    vocabulary_term_save(
        model=ServiceCategory, term=basic, data={}, pillars=[supports], actor=None, source="command"
    )
    f = school_pack(school=ccspp.world.roosevelt, fiscal_year=FY).figures
    assert f.service_pillars == {"integrated_supports": 12, "family_engagement": 1}


def test_retagging_a_category_moves_its_referrals_in_the_next_pack(ccspp):
    extended = Pillar.objects.get(code="extended_learning")
    vocabulary_term_save(
        model=ServiceCategory,
        term=ccspp.mental,
        data={},
        pillars=[extended],
        actor=None,
        source="command",
    )
    f = school_pack(school=ccspp.world.roosevelt, fiscal_year=FY).figures
    assert f.service_pillars == {"integrated_supports": 11, "extended_learning": 1}


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_a_pack_takes_the_same_number_of_queries_whatever_its_schools(ccspp):
    east = ccspp.world.east

    def pull():
        pack_tables(district_pack(district=east, fiscal_year=FY))

    few = _queries(pull)
    for name in ("Adams Elementary", "Baker Middle"):
        school = make_school(district=east, name=name)
        partner = make_partner(f"{name} Partner", schools_served=[school])
        make_referral(school, partner, need_category="mental_health")
    assert _queries(pull) == few


def test_every_face_shows_services_by_pillar_with_small_counts_suppressed(ccspp):
    pack = school_pack(school=ccspp.world.roosevelt, fiscal_year=FY)
    table = {t.title: t for t in pack_tables(pack)}["Services by pillar"]
    rows = {name: (count, needs) for name, count, needs in table.rows}
    assert rows["Integrated student supports"] == (12, "Mental health, Food")
    assert rows["Family and community engagement"] == ("fewer than 11", "Mental health")
    assert rows["Extended learning time and opportunities"] == (0, "none")
    assert "Services by pillar" in pack_text(pack)


def test_the_vocabulary_service_replaces_a_categorys_pillars_and_audits_it(world):
    category = make_service_category("Housing")
    supports, family = Pillar.objects.filter(
        code__in=["integrated_supports", "family_engagement"]
    ).order_by("code")
    vocabulary_term_save(
        model=ServiceCategory,
        term=category,
        data={},
        pillars=[supports, family],
        actor=world.ana,
        source="admin",
    )
    entry = AuditEntry.objects.get(action="servicecategory.update")
    assert entry.changes["pillars"] == [[], sorted([supports.pk, family.pk])]
    assert entry.actor == world.ana
    with pytest.raises(PermissionDenied):
        vocabulary_term_save(
            model=ServiceCategory,
            term=category,
            data={},
            pillars=[],
            actor=world.cora,
            source="admin",
        )
    with pytest.raises(ValueError, match="Only service categories"):
        vocabulary_term_save(
            model=EquityFocusGroup,
            data={"slug": "x", "name": "X"},
            pillars=[family],
            actor=world.ana,
            source="admin",
        )
    assert set(category.pillars.values_list("code", flat=True)) == {
        "integrated_supports",
        "family_engagement",
    }
    assert not EquityFocusGroup.objects.filter(slug="x").exists()


def test_staff_edit_a_categorys_pillars_in_the_admin(world, client):
    category = make_service_category("Arts and culture", slug="arts")
    extended = Pillar.objects.get(code="extended_learning")
    client.force_login(world.ana)
    url = reverse("crm_servicecategory:edit", args=[category.pk])
    page = client.get(url)
    assert b"Extended learning time and opportunities" in page.content
    response = client.post(
        url, {"slug": "arts", "name": "Arts and culture", "name_es": "", "pillars": [extended.pk]}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(category.pillars.all()) == [extended]
    entry = AuditEntry.objects.get(action="servicecategory.update")
    assert (entry.channel, entry.changes["pillars"]) == ("admin", [[], [extended.pk]])
    listing = client.get(reverse("crm_servicecategory:index"))
    assert b"Extended learning time and opportunities" in listing.content


def test_seeded_categories_get_default_pillars_and_reseeding_keeps_staff_edits(world):
    vocabularies_seed(actor=world.ana, source="admin")
    tagged = {
        c.slug: tuple(sorted(c.pillars.values_list("code", flat=True)))
        for c in ServiceCategory.objects.prefetch_related("pillars")
    }
    assert tagged == {
        slug: tuple(sorted(codes)) for slug, codes in SERVICE_CATEGORY_PILLARS.items()
    }
    entry = AuditEntry.objects.get(action="servicecategory.create", object_repr="Health")
    assert entry.changes["pillars"][0] == []
    legal = ServiceCategory.objects.get(slug="legal")
    vocabulary_term_save(
        model=ServiceCategory, term=legal, data={}, pillars=[], actor=world.ana, source="admin"
    )
    vocabularies_seed(actor=world.ana, source="admin")
    assert not legal.pillars.exists()


def test_the_migration_tags_the_same_defaults_as_the_seeding_service():
    migration = importlib.import_module("crm.migrations.0021_service_category_pillars")
    assert {k: set(v) for k, v in migration.DEFAULT_PILLARS.items()} == {
        k: set(v) for k, v in SERVICE_CATEGORY_PILLARS.items()
    }
