"""`bin/portal license ...`: issue, renew, suspend, re-activate and list licenses.

The commands go through the same use cases and request schemas as the admin API, acting as an
admin named after the operating-system user, so the CLI cannot store what the API would refuse.
"""

from __future__ import annotations

import argparse

from infra.admin.target import acting_admin


def register(subparsers: argparse._SubParsersAction) -> None:
    license_ = subparsers.add_parser("license", help="licenses").add_subparsers(dest="action", required=True)

    issue = license_.add_parser("issue", help="issue a license with a fresh key")
    issue.add_argument("--org", required=True)
    issue.add_argument("--product", required=True)
    issue.add_argument("--edition", required=True)
    issue.add_argument("--days", type=int, required=True, help="valid for this many days from now")
    issue.add_argument(
        "--capability",
        action="append",
        default=[],
        metavar="NAME[=LIMIT]",
        help='an enabled capability, optionally limited (repeatable): --capability "Throughput=10 Gbps"',
    )
    issue.add_argument(
        "--disabled",
        action="append",
        default=[],
        metavar="NAME",
        help="a capability the license lists but does not enable (repeatable)",
    )
    issue.add_argument(
        "--max-deployments", type=int, metavar="N", help="how many instances may check in (default: unlimited)"
    )
    issue.set_defaults(run=_issue)

    limit = license_.add_parser("limit", help="change a license's deployment limit")
    limit.add_argument("id")
    limit.add_argument("--max-deployments", required=True, metavar="N|unlimited")
    limit.set_defaults(run=_limit)

    renew = license_.add_parser("renew", help="extend a license from its current expiry (or from now)")
    renew.add_argument("id")
    renew.add_argument("--days", type=int, required=True)
    renew.set_defaults(run=_renew)

    for name, verb in (("suspend", "suspend a license"), ("reactivate", "re-activate a suspended license")):
        command = license_.add_parser(name, help=verb)
        command.add_argument("id")
        command.set_defaults(run=_suspend if name == "suspend" else _reactivate)

    listing = license_.add_parser("list", help="list licenses, soonest expiry first")
    listing.add_argument("--org", help="only this organisation's")
    listing.set_defaults(run=_list)


def capabilities(enabled: list[str], disabled: list[str]) -> list[dict]:
    out = []
    for spec in enabled:
        name, _, limit = spec.partition("=")
        out.append({"name": name.strip(), "enabled": True, **({"limit": limit.strip()} if limit.strip() else {})})
    out += [{"name": name.strip(), "enabled": False} for name in disabled]
    return out


def _row(item: dict) -> str:
    limit = item.get("max_deployments")
    used = f"{item.get('deployments_total', 0)}/{limit if limit is not None else '-'}"
    return (
        f"{item['id']:<28} {item['org']:<12} {item['status']:<10} {item['expires_at']}  {used:<7} "
        f"{item['product']} {item['edition']}"
    )


def _describe(item: dict) -> str:
    lines = [_row(item)]
    if "key" in item:
        lines.append(f"  key: {item['key']}")
    for capability in item.get("capabilities", []):
        limit = f" ({capability['limit']})" if capability.get("limit") else ""
        lines.append(f"  {'+' if capability['enabled'] else '-'} {capability['name']}{limit}")
    return "\n".join(lines)


def _issue(args) -> str:
    from chalicelib.core.validation import validate
    from chalicelib.licenses import admin as license_admin
    from chalicelib.licenses.schemas import LICENSE_ISSUE

    data = validate(
        {
            "org": args.org,
            "product": args.product,
            "edition": args.edition,
            "days": args.days,
            "capabilities": capabilities(args.capability, args.disabled),
            **({"max_deployments": args.max_deployments} if args.max_deployments is not None else {}),
        },
        LICENSE_ISSUE,
    )
    return "Issued:\n" + _describe(license_admin.issue_license(acting_admin(), data))


def _renew(args) -> str:
    from chalicelib.core.validation import validate
    from chalicelib.licenses import admin as license_admin
    from chalicelib.licenses.schemas import LICENSE_RENEW

    renewed = license_admin.renew_license(acting_admin(), args.id, validate({"days": args.days}, LICENSE_RENEW))
    return f"Renewed {renewed['id']} until {renewed['expires_at']} ({renewed['days_left']} days left)."


def _limit(args) -> str:
    from chalicelib.core.errors import Invalid
    from chalicelib.core.validation import validate
    from chalicelib.licenses import admin as license_admin
    from chalicelib.licenses.schemas import LICENSE_CHANGE

    raw = args.max_deployments.strip().lower()
    if raw != "unlimited" and not raw.isdigit():
        raise Invalid("--max-deployments takes a whole number or 'unlimited'.")
    data = validate({"max_deployments": None if raw == "unlimited" else int(raw)}, LICENSE_CHANGE)
    item = license_admin.change_license(acting_admin(), args.id, data)
    limit = item["max_deployments"] if item["max_deployments"] is not None else "unlimited"
    return f"{item['id']} now allows {limit} deployments ({item['deployments_total']} recorded)."


def _suspend(args) -> str:
    from chalicelib.licenses import admin as license_admin

    return f"Suspended {license_admin.suspend_license(acting_admin(), args.id)['id']}."


def _reactivate(args) -> str:
    from chalicelib.licenses import admin as license_admin

    item = license_admin.reactivate_license(acting_admin(), args.id)
    return f"Re-activated {item['id']}; it is {item['status']}."


def _list(args) -> str:
    from chalicelib.core.validation import validate
    from chalicelib.licenses import admin as license_admin
    from chalicelib.licenses.schemas import LICENSE_LIST_QUERY

    query = validate({"org": args.org} if args.org else {}, LICENSE_LIST_QUERY, "query")
    rows = []
    while True:  # every page of the list across organisations
        page = license_admin.admin_list(acting_admin(), query)
        rows += [_row(item) for item in page["items"]]
        if not page["next_cursor"]:
            return "\n".join(rows) or "No licenses."
        query = {**query, "cursor": page["next_cursor"]}
