"""`apply -f` and `create -f`: many documents written all or nothing, through the one door.

kubectl's client-side apply (the last-applied annotation and the three-way merge, as
staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go does it), its server-side apply, and
`create -f`. Kubernetes has no
multi-object transaction, so `write_all` checks every document with a server dry run before
writing any; in process the two passes also share one store transaction.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlplane.api.registry import KindInfo
from controlplane.models.constants import LAST_APPLIED_ANNOTATION, Obj
from minikubectl.client import CLIENT_SIDE_APPLY, CREATE, LAST_APPLIED_MANAGER, SERVER_SIDE_APPLY
from minikubectl.errors import CliError, render_api_error

if TYPE_CHECKING:
    from controlplane.api.errors import ApiError
    from minikubectl.client import Client
    from minikubectl.manifests import Manifest

MISSING_LAST_APPLIED = (
    "Warning: resource {resource}/{name} is missing the "
    "kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl "
    "apply. kubectl apply should only be used on resources created declaratively by either "
    "kubectl create --save-config or kubectl apply. The missing annotation will be patched "
    "automatically."
)


def prepare(client: Client, m: Manifest) -> tuple[KindInfo, Obj]:
    """A manifest's kind, and a copy of its object in the namespace it is sent to: its own,
    else the command's; refused when its own differs from an explicit `-n`."""
    info = m.info
    obj = copy.deepcopy(m.obj)
    meta = obj.setdefault("metadata", {})
    if info.namespaced:
        given = meta.get("namespace")
        if given and given != client.namespace and client.namespace_explicit:
            raise CliError(
                f'the namespace from the provided object "{given}" does not match the '
                f"namespace \"{client.namespace}\". You must pass '--namespace={given}' to "
                f"perform this operation."
            )
        meta["namespace"] = given or client.namespace
    return info, obj


class WriteFailed(Exception):
    """Some documents of a write failed; each message is kubectl's. See `write_all`
    for what was written: nothing, unless the cluster changed between check and write."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Outcome:
    """What happened to one object: `deployment.apps/web created`, and the object itself."""

    info: KindInfo
    name: str
    verb: str
    obj: Obj | None = None

    def __str__(self) -> str:
        return f"{self.info.kind_group}/{self.name} {self.verb}"


DRY_RUN_SUFFIX = {"client": " (dry run)", "server": " (server dry run)"}


Write = Callable[["Manifest", str], Outcome]  # one document, with a dry-run strategy
Render = Callable[["ApiError", "Manifest"], str]  # a document's error, as kubectl prints it

# staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go fieldManagerConflictErrFmt
FIELD_MANAGER_CONFLICT_HELP = """\
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"""


def render_write_error(exc: ApiError, m: Manifest) -> str:
    return render_api_error(exc, verb="creating", source=m.source)


def render_server_side_apply_error(exc: ApiError, m: Manifest) -> str:
    """apply.go wraps a conflict with its advice, which makes it a plain `error: ...`."""
    if exc.reason == "Conflict" and any(c.type == "FieldManagerConflict" for c in exc.causes):
        return f"error: {exc.message}\n{FIELD_MANAGER_CONFLICT_HELP}"
    return render_api_error(exc)


def awaits_namespace(exc: Exception, namespace: str, new_namespaces: set[str]) -> bool:
    """Is this check's only fault that its namespace is created earlier in the same write?"""
    from controlplane.api.errors import ApiError

    return (
        isinstance(exc, ApiError)
        and exc.reason == "NotFound"
        and exc.kind == "namespaces"
        and exc.name == namespace
        and namespace in new_namespaces
    )


def last_applied(obj: Obj) -> str:
    """kubectl's last-applied value: the manifest as compact JSON with sorted keys."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


@contextmanager
def all_or_nothing(client: Client) -> Iterator[list[str]]:
    """Collect per-document errors; if any, fail the block (and, in process, roll its
    writes back)."""
    from controlplane.api.errors import ApiError

    errors: list[str] = []
    try:
        with client.api.batch():
            yield errors
            if errors:
                raise WriteFailed(errors)
    except ApiError as exc:
        raise WriteFailed([*errors, render_api_error(exc)]) from exc


def write_all(
    client: Client,
    manifests: list[Manifest],
    write: Write,
    dry_run: str,
    render: Render = render_write_error,
) -> list[Outcome]:
    """Write every document or none: first each one is sent as a server dry run (the
    whole way through defaults, validation and admission, nothing stored), and only if
    all pass are they sent for real, in order.

    Kubernetes has no multi-object transaction. In process the two passes also share one
    store transaction, so nothing is ever half written. Over HTTP a write of the second
    pass can still fail if the cluster changed since its check (another writer, a
    namespace deleted): the other documents are then written and the error reported.
    A document in a namespace that an earlier document creates cannot be checked before
    that namespace exists; its check passes once everything but the namespace is valid
    (mkctl's server validates before it looks for the namespace).
    """
    with client.api.batch():
        if dry_run == "none":
            _write_each(client, manifests, write, "server", render, checking=True)
            client.warnings.clear()  # said again by the real pass
        outcomes = _write_each(client, manifests, write, dry_run, render)
    for outcome in outcomes:
        outcome.verb += DRY_RUN_SUFFIX.get(dry_run, "")
    return outcomes


def _write_each(
    client: Client,
    manifests: list[Manifest],
    write: Write,
    dry_run: str,
    render: Render,
    *,
    checking: bool = False,
) -> list[Outcome]:
    from controlplane.api.errors import ApiError

    outcomes: list[Outcome] = []
    new_namespaces: set[str] = set()
    with all_or_nothing(client) as errors:
        for m in manifests:
            try:
                outcome = write(m, dry_run)
            except ApiError as exc:
                namespace = client.namespace_for(m.info, m.obj)
                if checking and awaits_namespace(exc, namespace, new_namespaces):
                    continue
                errors.append(render(exc, m))
                continue
            if outcome.info.kind == "Namespace":  # created, or applied (which may create it)
                new_namespaces.add(outcome.name)
            outcomes.append(outcome)
    return outcomes


def apply(client: Client, manifests: list[Manifest], dry_run: str = "none") -> list[Outcome]:
    """`kubectl apply`: create, or three-way merge against last-applied (all or nothing).

    A client dry run sends nothing: new objects are `created (dry run)`, existing ones
    `configured (dry run)` (kubectl does not merge locally); a server dry run goes the whole
    way and writes nothing.
    """
    from controlplane import failpoints

    def write(m: Manifest, dry_run: str) -> Outcome:
        outcome = _apply_one(client, m, dry_run)
        if dry_run == "none":
            failpoints.hit("apply.after-document")
        return outcome

    return write_all(client, manifests, write, dry_run)


def _apply_one(client: Client, m: Manifest, dry_run: str) -> Outcome:
    from controlplane.api.errors import ApiError
    from minikubectl.kubectl.apply import apply_merge, create_three_way_patch, patch_type_for

    info, modified = prepare(client, m)
    annotations = modified["metadata"].setdefault("annotations", {})
    annotations.pop(LAST_APPLIED_ANNOTATION, None)
    annotations[LAST_APPLIED_ANNOTATION] = last_applied(modified)
    name = modified["metadata"].get("name", "")
    server_dry_run = dry_run == "server"
    try:
        live = client.api.get(info.kind, client.namespace_for(info, modified), name)
    except ApiError as exc:
        if exc.reason != "NotFound":
            raise
        if dry_run == "client":
            return Outcome(info, name, "created", modified)
        created = client.api.create(
            modified, dry_run=server_dry_run, field_manager=CLIENT_SIDE_APPLY
        )
        return Outcome(info, created["metadata"]["name"], "created", created)
    if dry_run == "client":
        return Outcome(info, name, "configured", live)
    previous = (live["metadata"].get("annotations") or {}).get(LAST_APPLIED_ANNOTATION)
    if previous is None:
        client.warnings.append(MISSING_LAST_APPLIED.format(resource=info.resource, name=name))
    original = json.loads(previous) if previous else None
    # kubectl sends the three-way patch, and nothing when it would change nothing
    # (staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go patchSimple): no resourceVersion
    # in it, so a controller writing status meanwhile is no conflict.
    if apply_merge(original, modified, live, info.kind) == live:
        return Outcome(info, name, "unchanged", live)
    patch = create_three_way_patch(original, modified, live, info.kind)
    namespace = client.namespace_for(info, modified)
    updated = client.api.patch(
        info.kind,
        namespace,
        name,
        patch,
        patch_type_for(info),
        dry_run=server_dry_run,
        field_manager=CLIENT_SIDE_APPLY,
    )
    # kubectl prints `configured` for any patch but `{}`, even one the server turns into no
    # change (a Secret's `stringData`, written into `data` as it already is).
    return Outcome(info, name, "configured", updated)


def server_side_apply(
    client: Client,
    manifests: list[Manifest],
    field_manager: str,
    force: bool,
    dry_run: str = "none",
) -> list[Outcome]:
    """`kubectl apply --server-side`: each manifest sent whole as an apply patch; the server
    merges it and keeps field ownership (all or nothing, as mkctl's apply)."""

    def write(m: Manifest, dry_run: str) -> Outcome:
        info, config = prepare(client, m)
        name = config["metadata"].get("name", "")
        if dry_run == "client":
            return Outcome(info, name, "serverside-applied", config)
        obj = _server_side_apply_one(client, config, field_manager, force, dry_run)
        return Outcome(info, name, "serverside-applied", obj)

    return write_all(client, manifests, write, dry_run, render_server_side_apply_error)


def _key(obj: Obj) -> tuple[str, str, str]:
    return obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"]


def _server_side_apply_one(
    client: Client, config: Obj, field_manager: str, force: bool, dry_run: str
) -> Obj:
    """One apply patch, then what kubectl does after it (apply.go): keep a last-applied
    annotation owned, and hand client-side apply's fields to the applier, then apply
    again."""
    from controlplane.api.managedfields import csaupgrade

    api = client.api
    obj, _ = api.apply(
        config, field_manager=field_manager, force=force, dry_run=dry_run == "server"
    )
    if dry_run == "server":
        return obj
    if field_manager == SERVER_SIDE_APPLY:
        _save_last_applied(client, obj)
    patch = csaupgrade.upgrade_patch(api.get(*_key(obj)), field_manager)
    if patch is None:
        return obj
    api.patch(*_key(obj), patch, "json", field_manager=field_manager)
    obj, _ = api.apply(config, field_manager=field_manager, force=force)
    return obj


def _save_last_applied(client: Client, obj: Obj) -> None:
    """saveLastApplyAnnotationIfNecessary: an apply by `kubectl-last-applied` of the
    annotation alone, unless an applier already owns it."""
    meta = obj["metadata"]
    value = (meta.get("annotations") or {}).get(LAST_APPLIED_ANNOTATION)
    if value is None:
        return
    for entry in meta.get("managedFields") or []:
        annotations = entry.get("fieldsV1", {}).get("f:metadata", {}).get("f:annotations", {})
        if entry.get("operation") == "Apply" and f"f:{LAST_APPLIED_ANNOTATION}" in annotations:
            return
    owned = {"name": meta["name"], "annotations": {LAST_APPLIED_ANNOTATION: value}}
    if meta.get("namespace"):
        owned["namespace"] = meta["namespace"]
    config = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": owned}
    client.api.apply(config, field_manager=LAST_APPLIED_MANAGER)


def dry_run_apply(
    client: Client, manifests: list[Manifest]
) -> list[tuple[KindInfo, Obj | None, Obj]]:
    """For `diff`: each object as it is live (None if new) and as apply would leave it."""
    from controlplane.api.errors import ApiError

    pairs: list[tuple[KindInfo, Obj | None, Obj]] = []
    with all_or_nothing(client) as errors:
        for m in manifests:
            info, obj = prepare(client, m)
            try:
                live: Obj | None = client.api.get(
                    info.kind, client.namespace_for(info, obj), obj["metadata"].get("name", "")
                )
            except ApiError as exc:
                if exc.reason != "NotFound":
                    raise
                live = None
            try:
                outcome = _apply_one(client, m, "server")
            except ApiError as exc:
                errors.append(render_api_error(exc))
                continue
            assert outcome.obj is not None
            pairs.append((info, live, outcome.obj))
    return pairs


def create(client: Client, manifests: list[Manifest], dry_run: str = "none") -> list[Outcome]:
    """`kubectl create -f`: every object must be new (all or nothing); a client dry run
    sends nothing and so cannot know."""

    def write(m: Manifest, dry_run: str) -> Outcome:
        info, obj = prepare(client, m)
        if dry_run != "client":
            obj = client.api.create(obj, dry_run=dry_run == "server", field_manager=CREATE)
        return Outcome(info, obj["metadata"]["name"], "created", obj)

    return write_all(client, manifests, write, dry_run)
