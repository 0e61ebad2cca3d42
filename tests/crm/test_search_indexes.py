"""The indexes the public directory and the admin's partner search lean on exist, on both
databases (the trigram ones on PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection

LINK_INDEXES = {
    "crm_partner_schools_served_choice_idx",
    "crm_partner_districts_served_choice_idx",
    "crm_partner_service_categories_choice_idx",
    "crm_partner_equity_focus_groups_choice_idx",
}
TRIGRAM_INDEXES = {
    "partner_name_trgm",
    "partner_website_trgm",
    "partner_ein_trgm",
    "partner_city_trgm",
}


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {
            name
            for table in tables
            if table.startswith("crm_partner")
            for name in connection.introspection.get_constraints(cursor, table)
        }


def test_the_directory_indexes_exist(db):
    assert LINK_INDEXES | {"partner_published_idx"} <= _indexes()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_contains_search_has_trigram_indexes(db):
    assert TRIGRAM_INDEXES <= _indexes()
