"""
The rules of the API that its OpenAPI document cannot state, because they tie one parameter or member to another
(docs/api.md says each): schemathesis' positive cases that break one of them are dropped rather than sent as
"valid", so that a 400 for any other reason is still a finding. Negative cases are all kept.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from schemathesis.generation.modes import GenerationMode


# The If-Match grammar of the document (http/InputRulesDocument). schemathesis' coverage phase keeps header values to
# letters and digits, so it cannot meet a pattern that needs a quote, and sends "0" as if it were valid.
IF_MATCH = re.compile(r'[ \t]*(\*|[ \t,]*(W/)?"[!#-~]*"([ \t]*,[ \t,]*(W/)?"[!#-~]*")*[ \t,]*)[ \t]*')


def _positive(case: Any) -> bool:
    meta = case.meta
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _given(values: Any, name: str) -> bool:
    return values is not None and values.get(name) not in (None, [], "")


@schemathesis.hook
def filter_case(ctx: Any, case: Any) -> bool:
    if not _positive(case):
        return True
    method, path = case.operation.method.upper(), case.operation.path
    query = case.query or {}
    headers = {name.lower(): value for name, value in (case.headers or {}).items()}
    if "if-match" in headers and not IF_MATCH.fullmatch(str(headers["if-match"])):
        return False
    body = case.body if isinstance(case.body, dict) else None
    # A page cursor is what a Link header gave, never made up.
    if _given(query, "after"):
        return False
    if method == "DELETE" and path == "/entries":
        # Exactly one of key, urlPrefix, tag.
        return sum(_given(query, name) for name in ("key", "urlPrefix", "tag")) == 1
    if method == "POST" and path == "/admin/entries/restore":
        # A bulk restore names what it restores.
        return any(_given(query, name) for name in ("key", "urlPrefix", "tag", "deletedAfter"))
    if method == "GET" and path == "/admin/entries" and query.get("sort") == "deletedAt":
        # Deletion order exists among soft-deleted entries only.
        states = query.get("state") or []
        states = [states] if isinstance(states, str) else states
        return bool(states) and set(states) <= {"deleted", "purgeable"}
    if body is not None and method in ("POST", "PUT") and path in ("/entries", "/entries/{id}"):
        response = body.get("response") if isinstance(body.get("response"), dict) else {}
        # An uploaded body is named by the id its upload answered: no generated id names one.
        if _given(response, "bodyId"):
            return False
        # Keeping the body is for an entry of the same key (KeepBodyTest): a generated case cannot know the stored key.
        if response.get("keepBody") is True:
            return False
        if body.get("neverExpires") is True and body.get("ttlSeconds") is not None:
            return False
        if method == "PUT" and body.get("id") is not None and body.get("id") != (case.path_parameters or {}).get("id"):
            return False
    return True
