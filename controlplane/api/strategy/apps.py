"""The apps/v1 workloads: generation, and the DaemonSet's template generation
(pkg/registry/apps/{deployment,replicaset,statefulset,daemonset}/strategy.go)."""

from __future__ import annotations

from controlplane.api.strategy.generic import Strategy
from controlplane.models.constants import TEMPLATE_GENERATION_ANNOTATION, Obj


class WorkloadStrategy(Strategy):
    """ReplicaSets and StatefulSets: a spec change bumps metadata.generation."""

    has_generation = True


class DeploymentStrategy(WorkloadStrategy):
    def generation_changes(self, old: Obj, new: Obj) -> bool:
        """deploymentStrategy.PrepareForUpdate: annotation changes bump it too."""
        if super().generation_changes(old, new):
            return True
        return bool(new["metadata"].get("annotations") != old["metadata"].get("annotations"))


class DaemonSetStrategy(WorkloadStrategy):
    """The template generation starts at 1 and counts template changes; apps/v1 shows it
    as an annotation (pkg/apis/apps/v1/conversion.go Convert_apps_DaemonSet_To_v1_DaemonSet)."""

    def prepare_for_create(self, obj: Obj) -> None:
        annotations = obj["metadata"].get("annotations") or {}
        given = annotations.get(TEMPLATE_GENERATION_ANNOTATION, "")
        generation = int(given) if given.isdigit() and int(given) >= 1 else 1
        _set_template_generation(obj, generation)

    def prepare_for_update(self, obj: Obj, stored: Obj) -> None:
        annotations = stored["metadata"].get("annotations") or {}
        given = annotations.get(TEMPLATE_GENERATION_ANNOTATION)
        generation = int(given) if given and given.isdigit() else 1
        if obj["spec"].get("template") != stored["spec"].get("template"):
            generation += 1
        _set_template_generation(obj, generation)


def _set_template_generation(obj: Obj, generation: int) -> None:
    obj["metadata"]["annotations"] = {
        **(obj["metadata"].get("annotations") or {}),
        TEMPLATE_GENERATION_ANNOTATION: str(generation),
    }
