"""/openapi.json is a valid OpenAPI 3 document of exactly what the routes accept."""

from openapi_spec_validator import validate

from tests.support.users import ALICE


def test_document_is_valid_openapi(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    validate(response.json)


def test_document_carries_the_request_limits_the_api_enforces(api):
    document = api.get("/openapi.json").json
    create = document["paths"]["/tickets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert create["properties"]["title"]["maxLength"] == 200
    assert create["properties"]["tags"]["items"]["enum"] == [
        "Bug",
        "Installation",
        "Feature Request",
        "Help Wanted",
        "Question",
    ]
    assert create["additionalProperties"] is False
    too_long = {"title": "x" * 201, "description": "d", "tags": ["Bug"]}
    assert api.post("/tickets", ALICE, too_long).status_code == 400


def test_public_routes_are_marked_as_needing_no_token(api):
    document = api.get("/openapi.json").json
    assert document["paths"]["/health"]["get"]["security"] == []
    assert "security" not in document["paths"]["/tickets"]["get"]
