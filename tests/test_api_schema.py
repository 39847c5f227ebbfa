"""Property-based tests against the API's own OpenAPI description (schemathesis).

Every operation receives generated requests (valid and invalid) from an admin, who may
call all of them; none may answer with a server error. The operations are walked in one
test (schemathesis' lazy pytest fixture loader does not work with pytest 9 yet) with one
Hypothesis run per operation.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

# Loaded now: a plan job imports it in a thread, and Hypothesis must never see numpy half-imported.
import reemploi.planning.allocation  # noqa: F401

EXAMPLES = 25


def test_no_operation_answers_with_a_server_error(api_app, role_tokens):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api_app)
    headers = {"Authorization": f"Bearer {role_tokens['admin']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for op in operations:

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
