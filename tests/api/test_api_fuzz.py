"""Schema-driven fuzzing: schemathesis generates requests from the API's own OpenAPI schema and
calls the app in-process (WSGI, no network); every answer must be no server error and match
the schema (status code, content type, body). Bounded: FUZZ_EXAMPLES per operation."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import token_for
from tests.factories import make_event, make_grant, make_partner, make_referral

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(world):
    partner = make_partner("Eastside Family Resource Center")
    make_event(world.roosevelt, partners=[partner])
    make_referral(world.roosevelt, partner)
    make_grant(world.roosevelt)
    # As Django's test client does: the WSGI handler must not close the test's connection
    # (inside the test transaction) at the end of each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_api_conforms_to_its_schema(world, api_schema):
    headers = {"Authorization": f"Bearer {token_for(world.ana)}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    calls: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            # Every check but "schema-valid data is accepted": a valid-looking id of a record
            # that does not exist is rightly a 400, which that heuristic counts as a failure.
            response = case.call_and_validate(
                headers=headers, excluded_checks=[positive_data_acceptance]
            )
            calls.append(f"{case.method} {case.path} {response.status_code}")

        check()
    print(f"fuzz: {len(operations)} operations, {len(calls)} requests, 0 failures")
