"""
The rules of the API that its OpenAPI document cannot state, because they tie one parameter or member to another
(docs/api.md says each): schemathesis' positive cases that break one of them are mended or dropped rather than sent
as "valid", so that a 400 for any other reason is still a finding. Negative cases are kept, but for a number put in
a text query parameter, which a query string cannot tell from text.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from schemathesis.generation.modes import GenerationMode


# The If-Match grammar of the document (http/InputRulesDocument). schemathesis' coverage phase keeps header values to
# letters and digits, so it cannot meet a pattern that needs a quote, and sends "0" as if it were valid.
IF_MATCH = re.compile(r'[ \t]*(\*|[ \t,]*(W/)?"[!#-~]*"([ \t]*,[ \t,]*(W/)?"[!#-~]*")*[ \t,]*)[ \t]*')


# Query parameters whose value is any plain text: a number or a boolean there is its text on the wire, which the
# service rightly takes, so a "type" mutation of one is no invalid request.
TEXT_PARAMETERS = ("key", "urlPrefix", "tag")


def _positive(case: Any) -> bool:
    meta = case.meta
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _given(values: Any, name: str) -> bool:
    return values is not None and values.get(name) not in (None, [], "")


def _mutated_parameter(mutation: Any) -> str | None:
    """The parameter a mutation changed: named, or the member of its location's schema that it points at."""
    if mutation.parameter:
        return str(mutation.parameter)
    pointer = str(mutation.schema_pointer or "")
    return pointer.split("/")[2] if pointer.startswith("/properties/") else None


def _harmless(mutation: Any) -> bool:
    """
    A mutation that leaves the request valid on the wire: a number or a boolean in a text query parameter is its
    text there, and an Authorization header taken away is put back by --auth before the request is sent.
    """
    location = str(getattr(mutation.parameter_location, "value", mutation.parameter_location))
    if location == "query" and tuple(mutation.keywords) == ("type",):
        return _mutated_parameter(mutation) in TEXT_PARAMETERS
    if location == "header" and tuple(mutation.keywords) == ("required",):
        return str(mutation.original_value).lower() == "authorization"
    return False


def _textual_type_mutation(case: Any) -> bool:
    """A negative case whose only violations leave the request valid on the wire (see _harmless)."""
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    parameter = getattr(data, "parameter", None)
    if parameter in TEXT_PARAMETERS and "type" in str(getattr(data, "description", "")).lower():
        return True  # the coverage phase renders the value as text already: its description says what it was
    mutations = getattr(data, "mutations", None) or ()
    if mutations and all(_harmless(mutation) for mutation in mutations):
        return True  # the fuzzing and stateful phases record each mutation they made
    for name, value in (case.query or {}).items():
        values = value if isinstance(value, list) else [value]
        if name in TEXT_PARAMETERS and any(isinstance(v, (int, float, bool)) for v in values):
            return True
    return False


@schemathesis.hook
def map_case(ctx: Any, case: Any) -> Any:
    """
    Positive entry bodies are mended rather than dropped (dropping most of them made generation crawl): no
    generated id names an upload, keeping a body is for an entry of the same key (KeepBodyTest covers it), a TTL
    goes without neverExpires, and a replace names its entry's id in its path only.
    """
    if not _positive(case) or not isinstance(case.body, dict):
        return case
    if case.operation.method.upper() not in ("POST", "PUT") or case.operation.path not in ("/entries", "/entries/{id}"):
        return case
    body = dict(case.body)
    if isinstance(body.get("response"), dict):
        response = dict(body["response"])
        response.pop("bodyId", None)
        response.pop("keepBody", None)
        body["response"] = response
    if body.get("neverExpires") is True:
        body.pop("ttlSeconds", None)
    if case.operation.method.upper() == "PUT":
        body.pop("id", None)
    case.body = body
    return case


@schemathesis.hook
def filter_case(ctx: Any, case: Any) -> bool:
    if not _positive(case):
        return not _textual_type_mutation(case)
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
    return True
