"""Which representation a request's `Accept` header asks for: of a discovery document, or
of an object or list as a Table (`table_version`).

As staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go
(`NegotiateMediaTypeOptions`) read through discovery/aggregated/wrapper.go: the clauses are
taken in order of preference (q-value, then position); the first one the server can write
wins. A clause naming `as=APIGroupDiscoveryList` of apidiscovery.k8s.io v2 (or v2beta1) asks
for the aggregated document; a plain JSON clause (or `*/*`) for the legacy one; a clause
asking any other conversion (`as=Table`) or a media type mkctl does not write (protobuf,
YAML, CBOR) is passed over. `None` means nothing acceptable: 406.
"""

from __future__ import annotations

from dataclasses import dataclass

from controlplane.api.tables.table import TABLE_GROUP, TABLE_VERSIONS

AGGREGATED_GROUP = "apidiscovery.k8s.io"
AGGREGATED_VERSIONS = ("v2", "v2beta1")
AGGREGATED_KIND = "APIGroupDiscoveryList"
JSON_TYPES = ("application/json", "application/*", "*/*")


@dataclass(frozen=True)
class Choice:
    """The negotiated answer: `aggregated` is "" (legacy JSON) or an apidiscovery version."""

    aggregated: str = ""

    @property
    def content_type(self) -> str:
        if not self.aggregated:
            return "application/json"
        return f"application/json;g={AGGREGATED_GROUP};v={self.aggregated};as={AGGREGATED_KIND}"


def clauses(accept: str) -> list[tuple[str, dict[str, str]]]:
    """The media ranges of an Accept header, most preferred first, q removed."""
    ranked: list[tuple[float, int, str, dict[str, str]]] = []
    for position, clause in enumerate(accept.split(",")):
        media, *raw = (part.strip() for part in clause.split(";"))
        if not media:
            continue
        params = dict(p.partition("=")[::2] for p in raw if p)
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 1.0
        if q > 0:
            ranked.append((-q, position, media.lower(), params))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [(media, params) for _, _, media, params in ranked]


def negotiate_discovery(accept: str) -> Choice | None:
    if not accept.strip():
        return Choice()
    for media, params in clauses(accept):
        if media not in JSON_TYPES:
            continue
        wanted = params.get("as")
        if wanted is None:
            return Choice()
        if (
            wanted == AGGREGATED_KIND
            and params.get("g") == AGGREGATED_GROUP
            and params.get("v") in AGGREGATED_VERSIONS
        ):
            return Choice(params["v"])
    return None


def accepts_json(accept: str) -> bool:
    """Whether a client takes JSON (no Accept header means anything)."""
    return any(media in JSON_TYPES for media, _ in clauses(accept or "*/*"))


def table_version(accept: str) -> str | None:
    """The meta.k8s.io version of the Table an Accept header asks for, or None when its
    preferred acceptable media type is plain JSON (clauses ranked as `clauses` ranks
    them; a Table only as JSON, `as=Table`, `g=meta.k8s.io`, `v=v1` or `v1beta1`). Types mkctl
    does not serve (protobuf, YAML, PartialObjectMetadata) are passed over."""
    for media, params in clauses(accept):
        if media not in JSON_TYPES:
            continue
        if not params.get("as"):
            return None
        if (
            media == "application/json"
            and params["as"] == "Table"
            and params.get("g") == TABLE_GROUP
            and params.get("v") in TABLE_VERSIONS
        ):
            return params["v"]
    return None
