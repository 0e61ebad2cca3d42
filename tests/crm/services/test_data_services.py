"""The reference and demo services check permissions like every other service."""

import pytest
from django.core.exceptions import PermissionDenied

from crm.models import AuditEntry, EquityFocusGroup, ServiceCategory
from crm.services.demo import demo_reset
from crm.services.reference import reference_load, vocabularies_seed


def test_only_people_allowed_to_add_schools_may_load_reference_data(world):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        reference_load(actor=world.lee, source="admin")
    assert AuditEntry.objects.count() == before


def test_vocabularies_seed_is_idempotent_and_audited(world):
    with pytest.raises(PermissionDenied):
        vocabularies_seed(actor=world.pat, source="admin")
    categories, groups = vocabularies_seed(actor=world.ana, source="admin")
    assert categories.created == ServiceCategory.objects.count() > 10
    assert groups.created == EquityFocusGroup.objects.count() > 5
    entry = AuditEntry.objects.filter(action="servicecategory.create").first()
    assert (entry.actor, entry.channel) == (world.ana, "admin")
    again = vocabularies_seed(actor=world.ana, source="admin")
    assert (again[0].created, again[0].updated, again[1].created) == (0, 0, 0)


def test_only_administrators_may_remove_the_demo(world):
    with pytest.raises(PermissionDenied):
        demo_reset(actor=world.pat, source="admin")
    demo_reset(actor=world.ana, source="admin")
    assert AuditEntry.objects.get(action="demo.reset").actor == world.ana
