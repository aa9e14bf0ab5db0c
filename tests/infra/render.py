"""Read CloudFormation values in tests: join ``Fn::Join`` and name pseudo parameters."""

from __future__ import annotations

from typing import Any

PSEUDO = {
    "AWS::Region": "eu-west-1",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::Partition": "aws",
    "AWS::AccountId": "123456789012",
}


def render(value: Any) -> Any:
    """A string with pseudo parameters filled in and other references shown as ``<Ref:Id>``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(str(render(part)) for part in parts)
    if isinstance(value, dict) and "Ref" in value:
        return PSEUDO.get(value["Ref"], f"<Ref:{value['Ref']}>")
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        resource, attribute = value["Fn::GetAtt"]
        return f"<GetAtt:{resource}.{attribute}>"
    return value
