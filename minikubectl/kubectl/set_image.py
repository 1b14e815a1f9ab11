"""`kubectl set image`'s change to an object (staging/src/k8s.io/kubectl/pkg/cmd/set/
set_image.go, with polymorphichelpers' updatePodSpecForObject): the pod spec of a pod or of a
workload's template, each named container (`*`: every one) given its new image."""

from __future__ import annotations

from controlplane.models.constants import Obj
from minikubectl.errors import CliError


def set_images(obj: Obj, images: dict[str, str]) -> bool:
    """Change `obj` in place; whether any image changed. A container name the pod spec does
    not have is kubectl's error, before anything changes."""
    spec = obj["spec"]["template"]["spec"] if "template" in obj.get("spec", {}) else obj["spec"]
    containers = [*spec.get("initContainers", []), *spec.get("containers", [])]
    for container_name in images:
        if container_name != "*" and not any(c["name"] == container_name for c in containers):
            raise CliError(f'unable to find container named "{container_name}"')
    changed = False
    for container in containers:
        image = images.get(container["name"], images.get("*"))
        if image is not None and container.get("image") != image:
            container["image"] = image
            changed = True
    return changed
