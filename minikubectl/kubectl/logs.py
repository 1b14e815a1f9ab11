"""`kubectl logs`' request: PodLogOptions as the `pods/log` query parameters client-go sends
(staging/src/k8s.io/client-go/kubernetes/typed/core/v1/pod_expansion.go GetLogs, only the
options set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from controlplane.kubelet.logs import LogOptions


def log_query(options: LogOptions, follow: bool) -> dict[str, str]:
    """PodLogOptions as `pods/log` query parameters (only those set, as client-go sends)."""
    query = {"container": options.container} if options.container else {}
    flags = {"follow": follow, "previous": options.previous, "timestamps": options.timestamps}
    query |= {key: "true" for key, on in flags.items() if on}
    numbers = {
        "tailLines": options.tail_lines,
        "sinceSeconds": options.since_seconds,
        "limitBytes": options.limit_bytes,
    }
    query |= {key: str(value) for key, value in numbers.items() if value is not None}
    return query
