"""mkctl in your own tests: a fake Kubernetes cluster, in process or behind a real API server.

The public, typed API (docs/testing.md). Everything named in `__all__` keeps its name and
meaning across minor releases; the rest of mkctl's modules are internal.

- `FakeCluster`: the control plane in process on a fake clock; `apply`, `get`, `list`,
  `delete`, `wait_for`, `advance(seconds)`. Writes settle synchronously.
- `api_server(home)`: a daemon serving the Kubernetes REST API on loopback, yielding an
  `ApiServer` (kubeconfig path, URL, token) for kubectl, client-go or the Python client.

The pytest plugin (`minikubectl.pytest_plugin`, registered under `pytest11`) offers both as
the fixtures `mkctl_cluster` and `mkctl_api_server`.
"""

from minikubectl.testing.api_server import ApiServer, api_server
from minikubectl.testing.fake_cluster import ClusterError, FakeCluster, Manifests, WaitTimeout

__all__ = ["ApiServer", "ClusterError", "FakeCluster", "Manifests", "WaitTimeout", "api_server"]
