"""Which Kubernetes API server a command talks to, when it talks to one: the server a
kubeconfig's context names with a bearer token (a learner's), else a live daemon serving
this CLI's store. Neither: `Client` opens the API in process (embedded mode).

Kept apart from `remote` (how to speak to a server) so that the HTTP client needs neither
the kubeconfig nor the daemon's files.
"""

from __future__ import annotations

from controlplane.apiserver import daemon_token, endpoint
from controlplane.home import home, store_url
from minikubectl.remote import RemoteApi


def kubeconfig_api() -> RemoteApi | None:
    """The API server and bearer token of the kubeconfig context in use, when it names an
    http(s) server and a token (a learner's kubeconfig from `mkctl learner add`), else None.
    mkctl's own context names the store and has no token."""
    from minikubectl.config import config_path, current_context, load, named
    from minikubectl.globalflags import FLAGS

    if not (FLAGS.kubeconfig or FLAGS.context) and not config_path().exists():
        return None
    doc = load()
    context = current_context(doc)
    cluster = named(doc, "clusters", str(context.get("cluster") or ""))
    user = named(doc, "users", str(context.get("user") or ""))
    server, token = str(cluster.get("server") or ""), str(user.get("token") or "")
    if not token or not server.startswith(("http://", "https://")):
        return None
    authority = None
    if cluster.get("certificate-authority-data"):
        import base64

        authority = base64.b64decode(str(cluster["certificate-authority-data"])).decode()
    return RemoteApi(server.rstrip("/"), token, authority=authority, prove=False)


def daemon_api() -> RemoteApi | None:
    """The daemon's API if a live daemon serves this CLI's store, else None."""
    where = home()
    served = endpoint.read(where)
    if served is None or served.store != store_url():
        return None
    token = daemon_token.read_token(where)
    if token is None:
        return None
    api = RemoteApi(served.url, token)
    try:
        api.connect()
    except OSError:
        return None
    return api
