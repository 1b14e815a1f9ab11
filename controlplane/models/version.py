"""The Kubernetes release mkctl's control plane claims to be, in one place.

`/version` answers it, as kube-apiserver does (staging/src/k8s.io/apimachinery/pkg/version/
types.go `Info`, filled by staging/src/k8s.io/component-base/version/version.go `Get` and the
compatibility version of staging/src/k8s.io/component-base/compatibility), the OpenAPI
documents carry it in `info.version`, and the fake kubelets report it as their
`nodeInfo.kubeletVersion`, so `kubectl version` and `kubectl get nodes` agree. The build
fields are those of the v1.37.1 release binaries (the commit of the v1.37.1 tag).
"""

from __future__ import annotations

MAJOR = "1"
MINOR = "37"
GIT_VERSION = "v1.37.1"
GIT_COMMIT = "f78e722310e50bcaca9276be22276d9e91d91308"
BUILD_DATE = "2026-09-23T17:10:04Z"
GO_VERSION = "go1.26.8"


def version_info() -> dict[str, str]:
    """`/version` of kube-apiserver v1.37.1 on linux/amd64, in `Info`'s field order. The
    emulation version is the binary's own minor; the minimum compatibility version one minor
    below it (component-base/compatibility's default for a binary at its own version)."""
    return {
        "major": MAJOR,
        "minor": MINOR,
        "emulationMajor": MAJOR,
        "emulationMinor": MINOR,
        "minCompatibilityMajor": MAJOR,
        "minCompatibilityMinor": str(int(MINOR) - 1),
        "gitVersion": GIT_VERSION,
        "gitCommit": GIT_COMMIT,
        "gitTreeState": "clean",
        "buildDate": BUILD_DATE,
        "goVersion": GO_VERSION,
        "compiler": "gc",
        "platform": "linux/amd64",
    }
