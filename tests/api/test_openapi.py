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


def test_every_operation_with_a_body_documents_415_and_a_body_not_declared_json_gets_it(api):
    document = api.get("/openapi.json").json
    with_body = [
        (path, method) for path, item in document["paths"].items() for method, op in item.items() if "requestBody" in op
    ]
    assert with_body
    assert all("415" in document["paths"][path][method]["responses"] for path, method in with_body)
    response = api.call("POST", "/tickets", ALICE, headers={"Content-Type": "text/plain"}, raw=b"hello")
    assert response.status_code == 415
    assert response.json["Code"] == "UnsupportedMediaType"
