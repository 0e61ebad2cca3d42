"""Field-level read rules: an export column is shown only when its person may see that field in
the admin, that is, holds the view permission of every CRM model the column reads.
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet

from crm.models import Contact, District, EquityFocusGroup, School, ServiceCategory
from crm.selectors.figures import published_through


def public_contacts() -> QuerySet:
    """What the public profile shows anyway: public contacts of published, unmerged partners."""
    return Contact.objects.filter(published_through(), is_public=True)


# Models with a part anyone may see: a column reading them stays, filled only from that part.
# The vocabularies and the school directory are public reference data (the public site lists
# them), so their names label a partner for anyone who may see the partner.
PUBLIC_PART = {
    Contact: public_contacts,
    District: District.objects.all,
    School: School.objects.all,
    ServiceCategory: ServiceCategory.objects.all,
    EquityFocusGroup: EquityFocusGroup.objects.all,
}


def may_view(user, model: type[Model]) -> bool:
    meta = model._meta
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(f"{meta.app_label}.view_{meta.model_name}")
    )


def reached_models(model: type[Model], path: str) -> list[type[Model]]:
    """The models a column path ("school.name", "partner__name", "contacts") reads, in order."""
    models = [model]
    current = model
    for part in re.split(r"\.|__", path):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            break  # a property, method or display value of the current model
        if not field.is_relation or field.related_model is None:
            break
        current = field.related_model
        models.append(current)
    return models


def column_visible(user, model: type[Model], path: str) -> bool:
    """Whether the user may see every CRM model the column reads (or its public part)."""
    return all(
        may_view(user, m) or m in PUBLIC_PART
        for m in reached_models(model, path)
        if m._meta.app_label == "crm"
    )


def visible_columns(user, model: type[Model], paths) -> list[str]:
    return [p for p in paths if column_visible(user, model, p)]


def contacts_visible_to(user) -> QuerySet:
    """Every contact with the contact permission; otherwise only the public ones."""
    return Contact.objects.all() if may_view(user, Contact) else public_contacts()
