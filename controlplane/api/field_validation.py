"""fieldValidation: what a write does with fields its kind does not have.

`Strict` refuses them, `Warn` drops them and says so in a warning, `Ignore` drops them
silently (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go, update.go and
patch.go). A duplicated field counts as unknown ones do. The API server's default is `Warn`;
kubectl's commands with `--validate` ask for `Strict` unless told otherwise, the others ask
for nothing, and mkctl's CLI does the same, over HTTP or in process.

A created or replaced body that Strict refuses is a 400 from the decoder (see
`validation.decode_error`); a patch whose result Strict refuses is a 422 about the patch, as
the patcher words it.

The directives are read by every request's options, reads included: the decoders and the
schemas are imported by the writes that use them, not with the names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from controlplane.api import errors, warnings
from controlplane.api.errors import ApiError
from controlplane.models.constants import Obj

IGNORE, WARN, STRICT = "Ignore", "Warn", "Strict"
DIRECTIVES = (IGNORE, WARN, STRICT)
SERVER_DEFAULT = WARN  # handlers/rest.go fieldValidation(""): Warn


def admit_body(obj: Obj, directive: str, duplicates: Sequence[str] = ()) -> None:
    """A create or update body, decoded with `duplicates` named twice: refused (Strict) or
    rid of its unknown fields (Ignore, Warn)."""
    from controlplane.api.crd.decoding import prune_custom_resource
    from controlplane.api.validation import decode_error
    from controlplane.api.validation.known_fields import drop_unknown_fields

    if directive == STRICT:
        problem = decode_error(obj, duplicates)
        if problem:
            raise errors.bad_request(problem)
        return
    dropped = prune_custom_resource(obj)
    if dropped is None:
        dropped = drop_unknown_fields(obj)
    if directive == WARN:
        for text in [f'duplicate field "{p}"' for p in duplicates]:
            warnings.warn(text)
        for path in dropped:
            warnings.warn(f'unknown field "{path}"')


def admit_patched(patched: Obj, patch: Any, patch_type: str, directive: str) -> None:
    """The object a patch made. Strict refuses unknown fields as jsonPatcher and smpPatcher
    do (handlers/patch.go): `"" is invalid: patch: Invalid value: "<the patched object, or
    the strategic patch as Go prints a map>": strict decoding error: unknown field "..."`."""
    if directive != STRICT:
        admit_body(patched, directive)
        return
    from controlplane.api.validation import strict_decoding_errors

    strict = strict_decoding_errors(patched)
    if not strict:
        return
    shown = (
        go_value(patch)
        if patch_type == "strategic"
        else json.dumps(patched, separators=(",", ":"), ensure_ascii=False)
    )
    cause = errors.invalid_value("patch", shown, "strict decoding error: " + ", ".join(strict))
    raise ApiError("Invalid", 422, f' "" is invalid: {cause}', causes=(cause,))


def go_value(value: Any) -> str:
    """Go's `%+v` of a decoded JSON value: `map[spec:map[replicas:3]]`, `[a b]`, `<nil>`."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
