"""kubectl's scaler (staging/src/k8s.io/kubectl/pkg/scale/scale.go): the requests `scale`
sends to a workload's scale subresource.

Without a precondition it is one merge patch of `spec.replicas`, a blind write. With one
(`--current-replicas`, `--resource-version`) it reads the Scale, checks the precondition
against it, and puts the Scale back with the new replicas: the put carries the
resourceVersion it read, so a write in between is a Conflict and the whole read-check-put is
tried again (ScaleCondition: every second, for up to five minutes, as cmd/scale/scale.go
RunScale asks), so the precondition holds when the new size is written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic, sleep

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.errors import CliError

# One request on the scale subresource: (verb, JSON body or b"", dry run) -> the Scale.
ScaleRequest = Callable[[str, bytes, bool], Obj]

RETRY_INTERVAL_SECONDS = 1.0  # cmd/scale/scale.go: scale.NewRetryParams(1*time.Second, ...)
RETRY_TIMEOUT_SECONDS = 300.0  # ... 5*time.Minute
NO_SIZE = -1  # --current-replicas' default: no condition on the size


@dataclass(frozen=True)
class ScalePrecondition:
    """What must hold of the Scale for it to be written (ScalePrecondition): its replicas
    (unless `size` is -1) and its resourceVersion (unless empty)."""

    size: int = NO_SIZE
    resource_version: str = ""

    def validate(self, scale: Obj) -> None:
        """kubectl's PreconditionError when the Scale read does not match."""
        replicas = int(scale["spec"].get("replicas", 0))
        if self.size != NO_SIZE and replicas != self.size:
            raise precondition_error("replicas", str(self.size), str(replicas))
        version = scale["metadata"].get("resourceVersion", "")
        if self.resource_version and version != self.resource_version:
            raise precondition_error("resource version", self.resource_version, version)


def precondition_error(precondition: str, expected: str, actual: str) -> CliError:
    return CliError(f"Expected {precondition} to be {expected}, was {actual}")


def scale_object(
    request: ScaleRequest,
    info: KindInfo,
    obj: Obj,
    replicas: int,
    dry_run: str,
    precondition: ScalePrecondition | None,
) -> Obj:
    """kubectl scale of `obj` (as read), answered with the Scale; then the object as read
    with the Scale's replicas, as kubectl prints it (cmd/scale/scale.go updateReplicas:
    built-in kinds only). A client dry run sends nothing and checks no precondition."""
    if dry_run != "client":
        replicas = scale(request, replicas, dry_run == "server", precondition)["spec"]["replicas"]
    obj = copy.deepcopy(obj)
    if info.group in ("", "apps"):
        obj.setdefault("spec", {})["replicas"] = replicas
    return obj


def scale(
    request: ScaleRequest, replicas: int, dry_run: bool, precondition: ScalePrecondition | None
) -> Obj:
    """The Scale as written (Scaler.Scale): ScaleSimple, again after each Conflict."""
    deadline = monotonic() + RETRY_TIMEOUT_SECONDS
    while True:
        try:
            return scale_simple(request, replicas, dry_run, precondition)
        except ApiError as exc:
            if exc.code != 409 or monotonic() + RETRY_INTERVAL_SECONDS > deadline:
                raise
        sleep(RETRY_INTERVAL_SECONDS)


def scale_simple(
    request: ScaleRequest, replicas: int, dry_run: bool, precondition: ScalePrecondition | None
) -> Obj:
    """One attempt (genericScaler.ScaleSimple): get, check and put with a precondition, else
    a merge patch of the replicas alone."""
    if precondition is None:
        return request("PATCH", b'{"spec":{"replicas":%d}}' % replicas, dry_run)
    read = request("GET", b"", False)
    precondition.validate(read)
    read["spec"]["replicas"] = replicas
    return request("PUT", json.dumps(read, separators=(",", ":")).encode(), dry_run)
