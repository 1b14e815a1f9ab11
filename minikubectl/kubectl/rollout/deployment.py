"""Rollout of Deployments, as kubectl does it (kubectl
pkg/polymorphichelpers/{history,rollback,rollout_status,objectpauser,objectrestarter}.go)."""

from __future__ import annotations

import copy

from controlplane.api.clusterapi import ClusterApi, controlled_by
from controlplane.models.constants import (
    ANNOTATIONS_NOT_COPIED_TO_RS,
    CHANGE_CAUSE_ANNOTATION,
    DeploymentConditionType,
    DeploymentReason,
    Kind,
    Obj,
)
from controlplane.models.meta import annotations_of, name_of
from controlplane.models.revisions import (
    last_revision,
    revision_of,
    template_without_hash,
    templates_equal_ignoring_hash,
)
from minikubectl.kubectl.rollout.base import FIELD_MANAGER, Rollout, RolloutError
from minikubectl.kubectl.rollout.restart import restart as restart_template


def replica_sets(api: ClusterApi, deployment: Obj) -> list[Obj]:
    """The ReplicaSets this Deployment controls (kubectl: selected and controlled by it)."""
    return controlled_by(api, Kind.REPLICA_SET, deployment)


def history(api: ClusterApi, deployment: Obj) -> list[tuple[int, str]]:
    """(revision, CHANGE-CAUSE) rows, ascending, one per ReplicaSet."""
    rows = {
        revision_of(rs): annotations_of(rs).get(CHANGE_CAUSE_ANNOTATION, "<none>")
        for rs in replica_sets(api, deployment)
    }
    return sorted(rows.items())


def revision_template(api: ClusterApi, deployment: Obj, revision: int) -> Obj:
    """The pod template of one revision, with its change-cause shown as an annotation."""
    for rs in replica_sets(api, deployment):
        if revision_of(rs) == revision:
            template: Obj = copy.deepcopy(rs["spec"]["template"])
            cause = annotations_of(rs).get(CHANGE_CAUSE_ANNOTATION)
            if cause:
                template.setdefault("metadata", {}).setdefault("annotations", {})[
                    CHANGE_CAUSE_ANNOTATION
                ] = cause
            return template
    raise RolloutError("unable to find the specified revision")


def rollback_target(api: ClusterApi, deployment: Obj, to_revision: int = 0) -> Obj:
    """The ReplicaSet of the revision an undo goes back to (rollback.go `deploymentRevision`):
    `to_revision`, or the one before the current."""
    name = name_of(deployment)
    if to_revision < 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    sets = replica_sets(api, deployment)
    if to_revision == 0:
        to_revision = last_revision(sets)
        if to_revision == 0:
            raise RolloutError(f'no rollout history found for deployment "{name}"')
    target = next((rs for rs in sets if revision_of(rs) == to_revision), None)
    if target is None:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    return target


def rollback_template(api: ClusterApi, deployment: Obj, to_revision: int = 0) -> Obj:
    """What `rollout undo --dry-run=client` shows: the revision's template, hash label and
    all (DeploymentRollbacker.Rollback prints it before any other check)."""
    template: Obj = rollback_target(api, deployment, to_revision)["spec"]["template"]
    return template


def undo(api: ClusterApi, deployment: Obj, to_revision: int = 0, *, dry_run: bool = False) -> str:
    """Roll back by copying an earlier ReplicaSet's template into the Deployment.

    Returns the verb kubectl prints after `deployment.apps/NAME`: `rolled back` or
    `skipped rollback (current template already matches revision N)`.
    """
    name = name_of(deployment)
    target = rollback_target(api, deployment, to_revision)
    to_revision = revision_of(target)
    if deployment["spec"].get("paused"):
        raise RolloutError(
            "you cannot rollback a paused deployment; resume it first with "
            "'mkctl rollout resume' and try again"
        )
    if templates_equal_ignoring_hash(deployment["spec"]["template"], target["spec"]["template"]):
        return f"skipped rollback (current template already matches revision {to_revision})"
    kept = {
        k: v for k, v in annotations_of(deployment).items() if k in ANNOTATIONS_NOT_COPIED_TO_RS
    }
    restored = {
        k: v for k, v in annotations_of(target).items() if k not in ANNOTATIONS_NOT_COPIED_TO_RS
    }
    patch = [
        {
            "op": "replace",
            "path": "/spec/template",
            "value": template_without_hash(target["spec"]["template"]),
        },
        {"op": "replace", "path": "/metadata/annotations", "value": {**kept, **restored}},
    ]
    namespace = deployment["metadata"]["namespace"]
    api.patch(Kind.DEPLOYMENT, namespace, name, patch, "json", dry_run=dry_run)
    return "rolled back"


def status(deployment: Obj, revision: int = 0) -> tuple[str, bool]:
    """kubectl's rollout status message for a Deployment, and whether the rollout is done."""
    name = name_of(deployment)
    if revision > 0 and revision_of(deployment) != revision:
        raise RolloutError(
            f"desired revision ({revision}) is different from the running revision "
            f"({revision_of(deployment)})"
        )
    spec, state = deployment["spec"], deployment.get("status", {})
    if deployment["metadata"].get("generation", 0) > state.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed...\n", False
    for condition in state.get("conditions") or []:
        if (
            condition.get("type") == DeploymentConditionType.PROGRESSING
            and condition.get("reason") == DeploymentReason.TIMED_OUT
        ):
            raise RolloutError(f'deployment "{name}" exceeded its progress deadline')
    wanted = int(spec.get("replicas", 1))
    updated = int(state.get("updatedReplicas", 0))
    total = int(state.get("replicas", 0))
    available = int(state.get("availableReplicas", 0))
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < wanted:
        return f"{waiting}{updated} out of {wanted} new replicas have been updated...\n", False
    if total > updated:
        return f"{waiting}{total - updated} old replicas are pending termination...\n", False
    if available < updated:
        return f"{waiting}{available} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def pause(api: ClusterApi, deployment: Obj) -> None:
    if deployment["spec"].get("paused"):
        raise RolloutError(f'deployments.apps "{name_of(deployment)}" is already paused')
    _patch_spec(api, deployment, {"paused": True})


def resume(api: ClusterApi, deployment: Obj) -> None:
    if not deployment["spec"].get("paused"):
        raise RolloutError(f'deployments.apps "{name_of(deployment)}" is not paused')
    _patch_spec(api, deployment, {"paused": None})


def restart(api: ClusterApi, deployment: Obj) -> None:
    """Stamp the pod template with `kubectl.kubernetes.io/restartedAt`, unless paused."""
    if deployment["spec"].get("paused"):
        raise RolloutError(
            f'deployments.apps "{name_of(deployment)}" can\'t restart paused deployment '
            "(run rollout resume first)"
        )
    restart_template(api, deployment)


def _patch_spec(api: ClusterApi, deployment: Obj, spec: Obj) -> None:
    api.patch(
        Kind.DEPLOYMENT,
        deployment["metadata"]["namespace"],
        name_of(deployment),
        {"spec": spec},
        "strategic",
        field_manager=FIELD_MANAGER,
    )


ROLLOUT = Rollout(
    history=history,
    revision_template=revision_template,
    rollback_template=rollback_template,
    undo=undo,
    status=status,
    restart=restart,
    pause=pause,
    resume=resume,
)
