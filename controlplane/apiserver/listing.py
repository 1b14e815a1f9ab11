"""List requests: which revision a list is read at, and `limit`/`continue` pagination.

resourceVersion on a list (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go
`ListOptions`, and the API concepts page):

- unset, or "0": the current state (mkctl's store is always current, so "any" is "latest");
- `N` (or `N` with `resourceVersionMatch=NotOlderThan`): the current state, once it has
  reached N; a revision the store has not reached is a 504 `Too large resource version`
  (staging/src/k8s.io/apiserver/pkg/storage/errors.go), answered at once;
- `N` with `resourceVersionMatch=Exact`: the state at N, which mkctl can serve while no
  object of the listed scope has changed since N (the store keeps no older states); past
  that, or once N is compacted, 410 Expired as etcd answers a compacted revision.

A `limit` cuts the list in key order (namespace, then name) and hands back upstream's
continue token (staging/src/k8s.io/apiserver/pkg/storage/continue.go): base64url JSON
`{"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key>"}`. Continued pages report the
first page's revision and read the current state from the next key on, so an object changed
meanwhile shows its newer state, as a watch from that revision then also delivers. A token
whose revision is compacted is answered 410 with etcd's message and a token that continues at
the latest revision (`rv: -1`), as staging/src/k8s.io/apiserver/pkg/storage/etcd3/errors.go.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlplane.api import errors, selection
from controlplane.api.crd.served import list_kind
from controlplane.api.errors import ApiError, FieldError
from controlplane.apiserver.paths import Route
from controlplane.apiserver.statuses import (
    StatusError,
    list_options_invalid,
    parse_resource_version,
    too_large_resource_version,
)
from controlplane.models.constants import Obj

if TYPE_CHECKING:
    from controlplane.api.verbs import Api
    from controlplane.apiserver.exchange import Query

# resourceVersionMatch (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go)
EXACT = "Exact"
NOT_OLDER_THAN = "NotOlderThan"
PAGE_WITHOUT_LIMIT = 500  # a continued list without a limit is read in pages this long
TOKEN_VERSION = "meta.k8s.io/v1"
# staging/src/k8s.io/apiserver/pkg/storage/etcd3/errors.go
EXPIRED_LIST = "The resourceVersion for the provided list is too old."
INCONSISTENT_CONTINUE = (
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results. Continuing with the provided token "
    "results in an inconsistent list - objects that were created, modified, or deleted between "
    "the time the first chunk was returned and now may show up in the list."
)


@dataclass(frozen=True)
class ListOptions:
    resource_version: str = ""
    match: str = ""
    limit: int = 0
    continue_token: str = ""
    label_selector: str | None = None
    field_selector: str | None = None


def _first(query: Query, key: str) -> str:
    values = query.get(key)
    return values[0] if values else ""


def list_options(query: Query) -> ListOptions:
    """The list's options, checked as ValidateListOptions does for a list (staging/src/k8s.io/
    apimachinery/pkg/apis/meta/internalversion/validation/validation.go)."""
    options = ListOptions(
        resource_version=_first(query, "resourceVersion"),
        match=_first(query, "resourceVersionMatch"),
        limit=_limit(_first(query, "limit")),
        continue_token=_first(query, "continue"),
        label_selector=_first(query, "labelSelector") or None,
        field_selector=_first(query, "fieldSelector") or None,
    )
    causes: list[FieldError] = []
    if options.match:
        if not options.resource_version:
            causes.append(
                errors.forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                )
            )
        if options.continue_token:
            causes.append(
                errors.forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden when continue is provided",
                )
            )
        if options.match not in (EXACT, NOT_OLDER_THAN):
            causes.append(
                errors.unsupported(
                    "resourceVersionMatch", options.match, [EXACT, NOT_OLDER_THAN, ""]
                )
            )
        if options.match == EXACT and options.resource_version == "0":
            causes.append(
                errors.forbidden(
                    "resourceVersionMatch",
                    'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
                )
            )
    if "sendInitialEvents" in query:
        causes.append(
            errors.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list")
        )
    if causes:
        raise list_options_invalid(causes)
    return options


def _limit(text: str) -> int:
    try:
        return max(int(text), 0) if text else 0
    except ValueError as exc:
        raise errors.bad_request(f'strconv.ParseInt: parsing "{text}": invalid syntax') from exc


def list_of(api: Api, route: Route, query: Query) -> Obj:
    """A `<Kind>List` of what the selectors match, one page of it with a `limit`, and the
    revision it was read at (one snapshot: a watch from that revision misses nothing and
    repeats nothing)."""
    options = list_options(query)
    start: tuple[str, str] | None = None
    meta: Obj = {}
    with api.snapshot():
        current = api.current_revision()
        if options.continue_token:
            start, revision = _continuing(api, route, options, current)
        else:
            revision = _revision(api, route, options, current)
        meta["resourceVersion"] = str(revision)
        if not options.limit and start is None:
            items = api.list(
                route.info.kind,
                route.namespace,
                label_selector=options.label_selector,
                field_selector=options.field_selector,
            )
        else:
            items = _page(api, route, options, start, meta)
    return {
        "kind": list_kind(route.info.kind),
        "apiVersion": route.info.api_version,
        "metadata": meta,
        "items": items,
    }


def _page(
    api: Api, route: Route, options: ListOptions, start: tuple[str, str] | None, meta: Obj
) -> list[Obj]:
    """Up to `limit` matching objects after `start`, read a page at a time in key order (as
    etcd3 store.go GetList does), and where the next page starts."""
    kind = route.info.kind
    selected = selection.predicate(kind, options.label_selector, options.field_selector)
    limit = options.limit or None
    batch = (limit or PAGE_WITHOUT_LIMIT) + 1
    items: list[Obj] = []
    after = start
    while limit is None or len(items) <= limit:
        read = api.list_after(kind, route.namespace, after, batch)
        items += read if selected is None else [o for o in read if selected(o)]
        if len(read) < batch:
            break
        after = _key(read[-1])
    if limit is None or len(items) <= limit:
        return items
    items = items[:limit]
    last = _key(items[-1])
    meta["continue"] = continue_token(int(meta["resourceVersion"]), _token_key(route, last))
    if selected is None:  # etcd3 store.go GetList: counted only without selectors
        meta["remainingItemCount"] = api.count_after(kind, route.namespace, last)
    return items


def _revision(api: Api, route: Route, options: ListOptions, current: int) -> int:
    """The revision a first page is read at; errors for one mkctl cannot serve."""
    rv = options.resource_version
    if rv in ("", "0"):
        return current
    requested = parse_resource_version(rv, route.info)
    if requested > current:
        raise too_large_resource_version(requested, current)
    if options.match != EXACT:
        return current
    try:
        changed = any(_in_scope(route, c.obj) for c in api.changes_after(requested))
    except ApiError as exc:
        raise ApiError("Expired", 410, EXPIRED_LIST) from exc
    if changed:  # the state at `requested` is gone from this store
        raise ApiError("Expired", 410, EXPIRED_LIST)
    return requested


def _continuing(
    api: Api, route: Route, options: ListOptions, current: int
) -> tuple[tuple[str, str], int]:
    """The next key and the revision a continue token carries (storage.ValidateListOptions)."""
    token_start, revision = decode_continue(options.continue_token)
    if options.resource_version not in ("", "0"):
        raise errors.bad_request("specifying resource version is not allowed when using continue")
    start = _start(route, token_start)
    if revision == -1:  # continue at the latest revision, as the 410 below offers
        return start, current
    try:
        api.changes_after(revision, 1)
    except ApiError as exc:
        raise StatusError(
            "Expired", 410, INCONSISTENT_CONTINUE, continue_token=continue_token(-1, token_start)
        ) from exc
    return start, revision


def _in_scope(route: Route, obj: Obj) -> bool:
    namespace = route.namespace if route.info.namespaced else None
    return obj["kind"] == route.info.kind and (
        namespace is None or obj["metadata"].get("namespace") == namespace
    )


def _key(obj: Obj) -> tuple[str, str]:
    meta = obj["metadata"]
    return meta.get("namespace") or "", meta["name"]


def _token_key(route: Route, key: tuple[str, str]) -> str:
    """The key a page ends at, under the list's prefix as etcd keys it (`<namespace>/<name>`
    across namespaces, `<name>` within one), with the NUL that makes the next page start
    just after it."""
    namespace, name = key
    if route.info.namespaced and route.namespace is None:
        return f"{namespace}/{name}\x00"
    return f"{name}\x00"


def _start(route: Route, start: str) -> tuple[str, str]:
    """The key a continue token's start names, as (namespace, name) to read after."""
    relative = start.removesuffix("\x00")
    if route.info.namespaced and route.namespace is None:
        namespace, _, name = relative.partition("/")
        return namespace, name
    return route.namespace or "", relative


def continue_token(revision: int, start: str) -> str:
    """storage.EncodeContinue: the next key relative to the list's prefix, and the revision."""
    data = json.dumps({"v": TOKEN_VERSION, "rv": revision, "start": start}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


def decode_continue(token: str) -> tuple[str, int]:
    """storage.DecodeContinue: the start key and revision; 400 for a token it refuses."""

    def invalid(why: str) -> ApiError:
        return errors.bad_request(f"invalid continue token: continue key is not valid{why}")

    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise invalid(f": {exc}") from exc
    if not isinstance(data, dict) or data.get("v") != TOKEN_VERSION:
        raise invalid(": server does not recognize this encoded version")
    revision, start = data.get("rv"), data.get("start")
    if not isinstance(revision, int) or revision == 0:
        raise invalid(": incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
    if not isinstance(start, str) or not start:
        raise invalid(": encoded start key empty (version meta.k8s.io/v1)")
    # path.Clean: a start key cannot climb above the list's prefix
    key = start if start.startswith("/") else "/" + start
    if posixpath.normpath(key) != key:
        raise invalid(f": {start}")
    return key[1:], revision
