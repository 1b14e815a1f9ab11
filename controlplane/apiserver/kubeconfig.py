"""Kubeconfig files for real clients: the owner's (`$MKCTL_HOME/kubeconfig`, written by the
daemon) and each learner's (`mkctl learner add`), one shape for both.

client-go sends a token only over TLS (`tls.py`), so a server with a certificate is named
`https://` with the certificate as the cluster's `certificate-authority-data`. Written as
JSON, which every kubeconfig reader takes as YAML, and which mkctl reads without importing
a YAML parser.
"""

from __future__ import annotations

import json
from pathlib import Path

from controlplane.apiserver import tls
from controlplane.home import write_private


def cluster_entry(url: str, where: Path) -> dict[str, str]:
    """The `cluster` of a kubeconfig for the API server at `url` (http://127.0.0.1:PORT):
    https with the certificate in `where` when the daemon has one."""
    if not tls.has_certificate(where):
        return {"server": url}
    return {
        "server": url.replace("http://", "https://", 1),
        "certificate-authority-data": tls.authority_data(where),
    }


def kubeconfig(
    cluster_name: str,
    cluster: dict[str, str],
    user: str,
    token: str,
    *,
    context: str,
    namespace: str = "",
) -> dict[str, object]:
    """One cluster, one user with a bearer token, one context (with `namespace` as its
    default when given), current."""
    context_body = {"cluster": cluster_name, "user": user}
    if namespace:
        context_body["namespace"] = namespace
    return {
        "kind": "Config",
        "apiVersion": "v1",
        "clusters": [{"name": cluster_name, "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [{"name": context, "context": context_body}],
        "current-context": context,
    }


def write(path: Path, doc: dict[str, object]) -> None:
    """Atomically, readable by its owner only: it holds a token."""
    write_private(path, json.dumps(doc, indent=4) + "\n")
