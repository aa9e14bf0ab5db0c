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


def _operations(document):
    return [(method.upper(), path, op) for path, item in document["paths"].items() for method, op in item.items()]


def test_every_route_documents_the_schema_of_its_success_answer(api):
    """A route added without the shape of its answer fails here, and so does Schemathesis' check."""
    from app import app

    document = api.get("/openapi.json").json
    documented = {(method, path): op for method, path, op in _operations(document)}
    for path, entry in app.routes.items():
        for method in entry:
            responses = documented[(method, path)]["responses"]
            successes = {s: r for s, r in responses.items() if s.startswith("2")}
            redirects = [r for s, r in responses.items() if s.startswith("3")]
            if not successes:  # a download answers a redirect to where the file is
                assert [list(r["headers"]) for r in redirects] == [["Location"]], (method, path)
                continue
            for status, response in successes.items():
                if status == "204":
                    assert "content" not in response, (method, path)
                    continue
                schemas = [media["schema"] for media in response["content"].values()]
                assert schemas and all(schemas), (method, path, status)


def _objects(schema, where):
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema:
            yield where, schema
        for key, value in schema.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _objects(value, f"{where}/{i}")


def test_every_object_an_answer_describes_is_closed_and_lists_what_it_always_holds(api):
    document = api.get("/openapi.json").json
    for method, path, op in _operations(document):
        if path == "/openapi.json":  # its shape is the OpenAPI specification's
            continue
        for status, response in op["responses"].items():
            for media in response.get("content", {}).values():
                for where, schema in _objects(media["schema"], f"{method} {path} {status}"):
                    assert schema["additionalProperties"] is False, where
                    assert set(schema.get("required", [])) <= set(schema["properties"]), where


def test_real_answers_match_their_documented_schemas(api):
    from openapi_schema_validator import OAS30Validator

    document = api.get("/openapi.json").json

    def check(method, path, status, body):
        schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
        OAS30Validator(schema).validate(body)

    created = api.post("/tickets", ALICE, {"title": "T", "description": "D", "tags": ["Bug"]})
    check("post", "/tickets", 201, created.json)
    number = created.json["number"]
    changed = api.patch(f"/tickets/{number}", ALICE, {"version": 1, "title": "T2", "tags": ["Question"]})
    check("patch", "/tickets/{number}", 200, changed.json)
    check("post", "/tickets/{number}/messages", 201, api.post(f"/tickets/{number}/messages", ALICE, {"body": "B"}).json)
    check("post", "/tickets/{number}/close", 200, api.post(f"/tickets/{number}/close", ALICE).json)
    check("post", "/tickets/{number}/reopen", 200, api.post(f"/tickets/{number}/reopen", ALICE).json)
    check("get", "/tickets/{number}", 200, api.get(f"/tickets/{number}", ALICE).json)
    check("get", "/tickets", 200, api.get("/tickets", ALICE).json)
    check("get", "/me", 200, api.get("/me", ALICE).json)
    check("get", "/health", 200, api.get("/health").json)


def test_links_lead_to_operations_that_exist_with_parameters_they_take(api):
    document = api.get("/openapi.json").json
    by_id = {op["operationId"]: op for _, _, op in _operations(document)}
    links = [
        (op["operationId"], name, link)
        for _, _, op in _operations(document)
        for response in op["responses"].values()
        for name, link in response.get("links", {}).items()
    ]
    assert {"get_tickets_number", "patch_tickets_number", "post_tickets_number_close"} <= {
        link["operationId"] for source, _, link in links if source == "post_tickets"
    }
    assert "get_licenses_id" in {link["operationId"] for source, _, link in links if source == "post_admin_licenses"}
    for source, name, link in links:
        target = by_id[link["operationId"]]
        taken = {p["name"] for p in target.get("parameters", [])}
        assert set(link.get("parameters", {})) <= taken, (source, name)
        if "requestBody" in link:
            body = target["requestBody"]["content"]["application/json"]["schema"]
            assert set(link["requestBody"]) <= set(body["properties"]), (source, name)


def test_a_method_a_path_lacks_answers_405_as_the_document_says(api):
    document = api.get("/openapi.json").json
    assert "405" in document["info"]["description"]
    response = api.call("DELETE", "/tickets", ALICE)
    assert response.status_code == 405
    assert response.json["Code"] == "MethodNotAllowedError"


def test_rules_that_depend_on_the_callers_role_answer_403_and_a_missing_organisation_404(api):
    from tests.support.users import AGENT

    ticket = {"title": "T", "description": "D", "tags": ["Bug"]}
    assert api.post("/tickets", AGENT, ticket).status_code == 403  # support names the customer
    assert api.post("/tickets", ALICE, {**ticket, "requester": "bob@acme.example"}).status_code == 403
    assert api.post("/tickets", ALICE, {**ticket, "org": "globex"}).status_code == 403
    assert api.post("/tickets", ALICE, {**ticket, "org": "acme"}).status_code == 201
    missing = api.post("/tickets", AGENT, {**ticket, "org": "initech", "requester": "x@initech.example"})
    assert (missing.status_code, "org" in missing.json["Message"]) == (404, True)
    described = api.get("/openapi.json").json["paths"]["/tickets"]["post"]["responses"]
    assert "support left out org or requester" in described["403"]["description"]
    assert "org" in described["404"]["description"]


def test_every_operation_documents_the_statuses_its_kind_can_answer(api):
    """A body can be malformed (400), too large (413) or not JSON (415); a token can be missing
    (401) or uncheckable (503); a path parameter can name nothing (400 malformed, 404 unknown)."""
    document = api.get("/openapi.json").json
    for method, path, op in _operations(document):
        needed = set()
        if "requestBody" in op:
            needed |= {"400", "413", "415"}
        if op.get("security") != []:
            needed |= {"401", "503"}
        if "{" in path:
            needed |= {"400", "404"}
        assert needed <= set(op["responses"]), (method, path, sorted(needed - set(op["responses"])))
