"""`/version`: the release kube-apiserver reports (controlplane.models.version), which is
all `kubectl version` and the Python client's `VersionApi().get_code()` ask of a server.
Served as the GET route in staging/src/k8s.io/apiserver/pkg/endpoints/routes/version.go.
"""

from __future__ import annotations

import json

from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request, Response
from controlplane.models.version import version_info


def version(_api: Api, _request: Request) -> Response:
    """Indented, as responsewriters.WriteRawJSON writes it."""
    return Response(200, json.dumps(version_info(), indent=2).encode())
