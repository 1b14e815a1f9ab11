"""The kubelet's event reasons and messages, and its waiting messages, word for word.

Sources: pkg/kubelet/images/image_manager.go (EnsureImageExists: Pulling, Pulled, Failed,
BackOff, ErrImageNeverPull), pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer:
`Error: <reason>`, Created, Started; killContainer: Killing; computePodActions: the kill
message of a failed probe),
pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff: the CrashLoopBackOff message and the
BackOff event), pkg/kubelet/prober (Unhealthy), pkg/kubelet/util/format (`name_ns(uid)`).
A failed pull carries containerd's text for a tag the registry lacks.
"""

from __future__ import annotations

from controlplane.kubelet.images import full_image_reference
from controlplane.models.constants import Obj
from controlplane.models.durations import format_go_duration

# Event reasons (pkg/kubelet/events/event.go).
PULLING = "Pulling"
PULLED = "Pulled"
FAILED = "Failed"
BACK_OFF = "BackOff"
CREATED = "Created"
STARTED = "Started"
KILLING = "Killing"
UNHEALTHY = "Unhealthy"
ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull"
INSPECT_FAILED = "InspectFailed"  # events.FailedToInspectImage
INVALID_IMAGE_NAME = "InvalidImageName"

ERR_IMAGE_PULL = "ErrImagePull"
IMAGE_PULL_BACK_OFF = "ImagePullBackOff"


def pulling(image: str) -> str:
    return f'Pulling image "{image}"'


def pulled(image: str, seconds: float, size: int) -> str:
    took = format_go_duration(seconds)
    return (
        f'Successfully pulled image "{image}" in {took} ({took} including waiting). '
        f"Image size: {size} bytes."
    )


def already_present(image: str) -> str:
    return f'Container image "{image}" already present on machine'


def not_found(image: str) -> str:
    """containerd's error for a tag the registry does not have, as the CRI (gRPC) reports it."""
    ref = full_image_reference(image)
    return (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
        f'failed to resolve reference "{ref}": {ref}: not found'
    )


def failed_to_pull(image: str) -> str:
    return f'Failed to pull image "{image}": {not_found(image)}'


def back_off_pulling(image: str) -> str:
    return f'Back-off pulling image "{image}"'


def never_pull(image: str) -> str:
    return f'Container image "{image}" is not present with pull policy of Never'


def error(reason: str) -> str:
    """startContainer's Failed event after EnsureImageExists fails: `Error: ErrImagePull`."""
    return f"Error: {reason}"


def created(container: str) -> str:
    return f"Created container: {container}"


def started(container: str) -> str:
    return f"Started container {container}"


def killing(container: str) -> str:
    return f"Stopping container {container}"


def killing_unhealthy(container: str, probe: str, restart: bool) -> str:
    """computePodActions' kill message for a failed liveness or startup probe:
    `Container nginx failed liveness probe, will be restarted` (unless restartPolicy Never)."""
    message = f"Container {container} failed {probe} probe"
    return f"{message}, will be restarted" if restart else message


def format_pod(pod: Obj) -> str:
    meta = pod["metadata"]
    return f"{meta['name']}_{meta.get('namespace', '')}({meta.get('uid', '')})"


def back_off_restarting(container: str, pod: Obj) -> str:
    return f"Back-off restarting failed container {container} in pod {format_pod(pod)}"


def crash_loop_back_off(seconds: float, container: str, pod: Obj) -> str:
    """The waiting message: `back-off 40s restarting failed container=nginx pod=...`."""
    return (
        f"back-off {format_go_duration(seconds)} restarting failed container={container} "
        f"pod={format_pod(pod)}"
    )
