"""Record what a real kubectl prints for `get` over the golden cluster (writes get_kubectl.json).

Run by hand, never by the suite:  KUBECTL=/path/to/kubectl python record_get.py
kubectl talks to a minimal API server started here, which serves `golden_cluster` through
mkctl's own `Api` (discovery, get, list with label and field selectors, Status errors) and
answers table requests with mkctl's server-side Tables at the cluster's fixed time. What is
recorded is therefore kubectl's client side: printers, flags, sorting, table layout, the List
wrapper and its error messages; `test_printers_golden.py` holds mkctl to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[4]))

from golden_cluster import NOW, store

from controlplane.api.errors import ApiError
from controlplane.api.registry import KINDS
from controlplane.api.tables.table import as_table
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds

HERE = Path(__file__).parent
COLUMNS_FILE = HERE / "golden_columns.txt"
TEMPLATE_FILE = HERE / "golden_template.txt"
CASES = [
    ["get", "pods"],
    ["get", "pods", "-o", "wide"],
    ["get", "pods", "-A"],
    ["get", "pods", "-A", "-o", "wide", "--show-labels"],
    ["get", "pods", "-A", "--no-headers"],
    ["get", "rs"],
    ["get", "rs", "-o", "wide"],
    ["get", "deploy"],
    ["get", "deploy", "-o", "wide"],
    ["get", "nodes"],
    ["get", "nodes", "-o", "wide"],
    ["get", "ns"],
    ["get", "events"],
    ["get", "events", "-o", "wide"],
    ["get", "deploy,rs,pods"],
    ["get", "deploy,rs,pods", "-o", "wide"],
    ["get", "deploy,rs,pods", "--no-headers"],
    ["get", "deploy,rs,pods", "--show-labels"],
    ["get", "deploy,rs,pods", "-L", "app,pod-template-hash"],
    ["get", "pods", "-L", "app", "-L", "tier", "-A"],
    ["get", "nodes", "-L", "kubernetes.io/os", "--show-labels"],
    ["get", "pods", "-o", "name"],
    ["get", "deploy,rs,pods", "-o", "name"],
    ["get", "pods", "-o", "json"],
    ["get", "deploy", "nginx", "-o", "json"],
    ["get", "deploy", "nginx", "-o", "yaml"],
    ["get", "rs", "-o", "yaml"],
    ["get", "nodes", "node-1", "-o", "yaml"],
    ["get", "ns", "-o", "json"],
    ["get", "events", "-o", "yaml"],
    ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
    [
        "get",
        "pods",
        "-o",
        'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.nodeName}{"\\n"}{end}',
    ],
    ["get", "deploy", "nginx", "-o", "jsonpath={.spec.template.spec.containers[0].image}"],
    ["get", "rs", "-o", "jsonpath={.items[?(@.spec.replicas>0)].metadata.name}"],
    [
        "get",
        "nodes",
        "-o",
        "jsonpath={.items[*].status.addresses[?(@.type=='InternalIP')].address}",
    ],
    ["get", "ns", "-o", "jsonpath-as-json={.items[*].metadata.name}"],
    ["get", "events", "-o", "jsonpath={.items[*].reason}"],
    ["get", "pods", "-o", f"jsonpath-file={TEMPLATE_FILE.name}"],
    ["get", "pods", "-o", "jsonpath={.items[5]}"],
    ["get", "pods", "-o", "jsonpath={.items[0"],
    [
        "get",
        "pods",
        "-A",
        "-o",
        "custom-columns=NAME:.metadata.name,NS:.metadata.namespace,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image",
    ],
    [
        "get",
        "deploy,rs",
        "-o",
        "custom-columns=KIND:.kind,NAME:.metadata.name,REPLICAS:.spec.replicas,LABELS:.metadata.labels",
    ],
    [
        "get",
        "nodes",
        "-o",
        "custom-columns=NAME:.metadata.name,UNSCHEDULABLE:.spec.unschedulable,IP:.status.addresses[0].address",
    ],
    ["get", "events", "-o", "custom-columns=REASON:.reason,OBJECT:.involvedObject.name"],
    ["get", "pods", "-o", f"custom-columns-file={COLUMNS_FILE.name}"],
    ["get", "pods", "-o", "custom-columns=NAME:.metadata.name", "--no-headers"],
    ["get", "pods", "-o", "custom-columns=NAME"],
    ["get", "pods", "-o", "custom-columns=N:.spec.containers[3].name"],
    ["get", "pods", "-o", "yamlx"],
    ["get", "pods", "--sort-by=.status.podIP"],
    ["get", "pods", "--sort-by=.metadata.creationTimestamp", "-o", "name"],
    ["get", "rs", "--sort-by=.spec.replicas", "-o", "wide"],
    ["get", "pods", "-A", "--sort-by=.spec.nodeName", "-o", "custom-columns=N:.metadata.name"],
    ["get", "deploy,rs", "--sort-by=.metadata.name"],
    ["get", "pods", "-l", "app=nginx"],
    ["get", "pods", "-A", "-l", "tier in (frontend,backend)"],
    ["get", "pods", "-A", "-l", "!tier", "-o", "name"],
    ["get", "pods", "-l", "app in (nginx", "-o", "name"],
    ["get", "pods", "-l", "app=nope"],
    ["get", "pods", "-l", "app=nope", "-o", "json"],
    ["get", "pods", "--field-selector", "spec.nodeName=node-1", "-o", "name"],
    ["get", "pods", "-A", "--field-selector", "status.phase!=Running"],
    ["get", "pods", "--field-selector", "spec.foo=bar"],
    ["get", "deploy", "--field-selector", "status.replicas=3"],
    ["get", "nodes", "--field-selector", "spec.unschedulable=true", "-o", "name"],
    ["get", "pods", "nope", "-o", "json"],
    ["get", "pods", "nginx-7c5ddbdf54-2xkzq", "nope", "-o", "name"],
    ["get", "pods", "--show-labels", "-o", "name"],
    ["get", "pods", "nginx-7c5ddbdf54-2xkzq", "-l", "app=x"],
    ["get", "pods/nginx-7c5ddbdf54-2xkzq", "--field-selector", "a=b"],
    ["get", "deploy", "-o=jsonpath={.items[0].metadata.name}"],
    ["get", "deploy", "-ojson"],
    ["get", "deploy", "--output=name"],
    ["get", "events", "-n", "ties", "--sort-by=.reason", "-o", "name"],
    ["get", "events", "-n", "ties", "--sort-by=.count", "-o", "name"],
    ["get", "pods", "-A", "--chunk-size=3"],
    ["get", "pods", "-A", "--chunk-size=1", "--no-headers", "-L", "app"],
    ["get", "deploy,rs,pods", "-A", "--chunk-size=2"],
    ["get", "pods,ns", "-A", "--chunk-size=2", "--no-headers"],
    ["get", "pods", "-A", "--chunk-size=3", "-o", "json"],
    ["get", "pods", "-A", "--chunk-size=0", "-o", "yaml"],
    ["get", "events", "-n", "ties", "--chunk-size=7", "--sort-by=.count"],
    ["get", "events", "-n", "ties", "--sort-by=.count", "--no-headers"],
    ["get", "events", "-n", "ties", "--sort-by=.lastTimestamp", "-o", "name"],
    ["get", "events", "-n", "ties", "-l", "x", "--sort-by=.count", "-o", "name"],
    [
        "get",
        "events",
        "-n",
        "ties",
        "--field-selector",
        "reason=Pulled",
        "--sort-by=.count",
        "-o",
        "name",
    ],
]


def _status(exc: ApiError) -> dict[str, Any]:
    return exc.status()


class Handler(BaseHTTPRequestHandler):
    api: Api
    by_plural: ClassVar[dict[str, Any]] = {info.plural: info for info in KINDS}

    def log_message(self, *args: Any) -> None:
        pass

    def send(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def discovery(self, path: str) -> dict[str, Any] | None:
        def resources(group: str) -> list[dict[str, Any]]:
            return [
                {
                    "name": i.plural,
                    "singularName": i.singular,
                    "namespaced": i.namespaced,
                    "kind": i.kind,
                    "verbs": ["get", "list"],
                    "shortNames": list(i.short_names),
                    "categories": ["all"] if i.kind in ("Pod", "Deployment", "ReplicaSet") else [],
                }
                for i in KINDS
                if i.group == group
            ]

        apps = {"groupVersion": "apps/v1", "version": "v1"}
        return {
            "/api": {"kind": "APIVersions", "versions": ["v1"]},
            "/apis": {
                "kind": "APIGroupList",
                "apiVersion": "v1",
                "groups": [{"name": "apps", "versions": [apps], "preferredVersion": apps}],
            },
            "/api/v1": {
                "kind": "APIResourceList",
                "groupVersion": "v1",
                "resources": resources(""),
            },
            "/apis/apps/v1": {
                "kind": "APIResourceList",
                "groupVersion": "apps/v1",
                "resources": resources("apps"),
            },
        }.get(path)

    def do_GET(self) -> None:
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        found = self.discovery(url.path)
        if found is not None:
            return self.send(200, found)
        parts = url.path.strip("/").split("/")
        rest = parts[2:] if parts[0] == "api" else parts[3:]
        namespace = None
        if len(rest) > 2 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        info = self.by_plural.get(rest[0]) if rest else None
        if info is None:
            return self.send(404, {"kind": "Status", "status": "Failure", "code": 404})
        table = "as=Table" in self.headers.get("Accept", "")
        try:
            if len(rest) == 2:
                items = [self.api.get(info.kind, namespace or "", rest[1])]
            else:
                items = self.api.list(
                    info.kind,
                    namespace,
                    label_selector=query.get("labelSelector") or None,
                    field_selector=query.get("fieldSelector") or None,
                )
        except ApiError as exc:
            return self.send(exc.code, _status(exc))
        metadata = {"resourceVersion": "100"}
        if len(rest) != 2:  # `limit` chunks, the continue token the offset of the next
            start, limit = int(query.get("continue") or 0), int(query.get("limit") or 0)
            if limit and start + limit < len(items):
                metadata["continue"] = str(start + limit)
            items = items[start : start + limit] if limit else items[start:]
        if table:
            return self.send(200, self.table(info.kind, items, query, metadata))
        if len(rest) == 2:
            return self.send(200, items[0])
        return self.send(
            200,
            {
                "kind": f"{info.kind}List",
                "apiVersion": info.api_version,
                "metadata": metadata,
                "items": items,
            },
        )

    def table(
        self,
        kind: str,
        items: list[dict[str, Any]],
        query: dict[str, str],
        metadata: dict[str, str],
    ) -> dict[str, Any]:
        return as_table(
            kind, {"metadata": metadata, "items": items}, NOW, query.get("includeObject", "")
        )


def main() -> None:
    binary = os.environ["KUBECTL"]
    Handler.api = Api(store(), FakeClock(NOW), SeededIds(1))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    COLUMNS_FILE.write_text("NAME  NODE  IP\n.metadata.name   {.spec.nodeName}  status.podIP\n")
    TEMPLATE_FILE.write_text('{range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}')
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config"
        config.write_text(
            "apiVersion: v1\nkind: Config\ncurrent-context: golden\n"
            f"clusters: [{{name: golden, cluster: {{server: 'http://127.0.0.1:{server.server_port}'}}}}]\n"
            "contexts: [{name: golden, context: {cluster: golden, namespace: default, user: u}}]\n"
            "users: [{name: u, user: {}}]\n"
        )
        env = {"PATH": os.environ.get("PATH", ""), "KUBECONFIG": str(config), "HOME": tmp}
        cases = []
        for args in CASES:
            done = subprocess.run(
                [binary, *args], capture_output=True, text=True, env=env, cwd=HERE
            )
            cases.append(
                {
                    "args": args,
                    "code": done.returncode,
                    "stdout": done.stdout,
                    "stderr": done.stderr,
                }
            )
    server.shutdown()
    version = subprocess.run([binary, "version", "--client"], capture_output=True, text=True)
    data = {"kubectl": version.stdout.splitlines()[0], "now": NOW, "cases": cases}
    (HERE / "get_kubectl.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases -> {HERE / 'get_kubectl.json'}")


if __name__ == "__main__":
    main()
