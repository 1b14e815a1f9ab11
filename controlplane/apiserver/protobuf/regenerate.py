"""Write `fields.json` from the Go types: `python -m controlplane.apiserver.protobuf.regenerate
API MACHINERY > fields.json`, where API and MACHINERY are checkouts of k8s.io/api and
k8s.io/apimachinery at the Kubernetes version mkctl follows.

Each struct field's `protobuf:"bytes,3,opt,name=template"` tag gives its number, its
`json:"template,omitempty"` tag its JSON name and omitempty, and its Go type whether it is a
pointer, a list, a map or another message. Only messages reachable from `ROOTS` are kept.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

# Our package name for each types.go, and what its imports are called there.
SOURCES = {
    "core": ("api", "core/v1/types.go", {"metav1": "meta"}),
    "apps": ("api", "apps/v1/types.go", {"v1": "core", "metav1": "meta"}),
    "policy": ("api", "policy/v1/types.go", {"metav1": "meta"}),
    "batch": (
        "api",
        "batch/v1/types.go",
        {"corev1": "core", "metav1": "meta", "schedulingv1alpha3": "scheduling"},
    ),
    "scheduling": ("api", "scheduling/v1alpha3/types.go", {"metav1": "meta"}),
    "autoscaling": ("api", "autoscaling/v1/types.go", {"v1": "core", "metav1": "meta"}),
    "discovery": ("api", "discovery/v1/types.go", {"v1": "core", "metav1": "meta"}),
    "storage": ("api", "storage/v1/types.go", {"v1": "core", "metav1": "meta"}),
    "authorization": ("api", "authorization/v1/types.go", {"metav1": "meta"}),
    "authentication": ("api", "authentication/v1/types.go", {"metav1": "meta"}),
    "coordination": ("api", "coordination/v1/types.go", {"metav1": "meta"}),
    "meta": ("machinery", "pkg/apis/meta/v1/types.go", {}),
}
SPECIAL = {
    "meta.Time": "Time",
    "meta.MicroTime": "MicroTime",
    "meta.FieldsV1": "FieldsV1",
    "resource.Quantity": "Quantity",
    "intstr.IntOrString": "IntOrString",
    "runtime.RawExtension": "RawExtension",
    "types.UID": "string",
}
BASIC = {
    "string": "string",
    "int32": "int",
    "int64": "int",
    "int": "int",
    "bool": "bool",
    "float64": "double",
}
ROOTS = (
    "core.Pod",
    "core.Namespace",
    "core.Node",
    "core.Event",
    "core.ConfigMap",
    "core.Secret",
    "core.Service",
    "core.Endpoints",
    "discovery.EndpointSlice",
    "core.PersistentVolumeClaim",
    "core.PersistentVolume",
    "apps.Deployment",
    "apps.ReplicaSet",
    "apps.StatefulSet",
    "apps.DaemonSet",
    "apps.ControllerRevision",
    "batch.Job",
    "batch.CronJob",
    "policy.Eviction",
    "autoscaling.Scale",
    "storage.StorageClass",
    "coordination.Lease",
    "meta.DeleteOptions",
    "authorization.SelfSubjectAccessReview",
    "authentication.SelfSubjectReview",
)
STRUCT = re.compile(r"^type (\w+) struct \{\n(.*?)^\}", re.S | re.M)
NAMED = re.compile(r"^type (\w+) ([^\s{]+)\s*$", re.M)
FIELD = re.compile(r"^\s*(?:(\w+)\s+)?([\w*\[\].]+)\s+`([^`]*)`")

GoField = tuple[str, str, str]  # Go type, json tag, protobuf tag


class Types:
    def __init__(self, api: Path, machinery: Path) -> None:
        self.structs: dict[str, list[GoField]] = {}
        self.named: dict[str, str] = {}
        self.imports: dict[str, dict[str, str]] = {}
        for package, (repo, path, imports) in SOURCES.items():
            text = ((api if repo == "api" else machinery) / path).read_text()
            self.imports[package] = imports
            for struct in STRUCT.finditer(text):
                self.structs[f"{package}.{struct.group(1)}"] = [
                    (found.group(2), _tag(found.group(3), "json"), _tag(found.group(3), "protobuf"))
                    for line in struct.group(2).splitlines()
                    if (found := FIELD.match(line)) and not line.strip().startswith("//")
                ]
            for named in NAMED.finditer(text):
                self.named[f"{package}.{named.group(1)}"] = named.group(2)

    def describe(self, package: str, go_type: str) -> Any:
        if go_type.startswith("*"):
            return self.describe(package, go_type[1:])
        if go_type == "[]byte":
            return "bytes"
        if go_type.startswith("[]"):
            return ["list", self.describe(package, go_type[2:])]
        if go_type.startswith("map["):
            key, _, value = go_type[4:].partition("]")
            return ["map", self.describe(package, key), self.describe(package, value)]
        if go_type in BASIC:
            return BASIC[go_type]
        alias, _, name = go_type.rpartition(".")
        qualified = f"{self.imports[package].get(alias, alias) if alias else package}.{name}"
        if qualified in SPECIAL:
            return SPECIAL[qualified]
        if qualified in self.structs:
            return ["msg", qualified]
        return self.describe(qualified.split(".")[0], self.named[qualified])


def _tag(tags: str, key: str) -> str:
    found = re.search(rf'{key}:"([^"]*)"', tags)
    return found.group(1) if found else ""


def table(types: Types) -> dict[str, list[list[Any]]]:
    result: dict[str, list[list[Any]]] = {}
    pending = list(ROOTS)
    while pending:
        message = pending.pop()
        if message in result:
            continue
        result[message] = []
        package = message.split(".")[0]
        for go_type, json_tag, proto_tag in types.structs[message]:
            if not proto_tag or proto_tag == "-":
                continue
            number = int(proto_tag.split(",")[1])
            json_name, *options = json_tag.split(",")
            kind = types.describe(package, go_type)
            flags = "o" if "omitempty" in options else ""
            flags += "p" if go_type.startswith("*") else ""
            flags += "" if json_name else "i"  # an embedded struct: its fields are the parent's
            result[message].append([number, json_name, kind, flags])
            pending.extend(_messages(kind))
    return result


def _messages(kind: Any) -> list[str]:
    if not isinstance(kind, list):
        return []
    if kind[0] == "msg":
        return [kind[1]]
    return [found for part in kind[1:] for found in _messages(part)]


def main() -> None:
    api, machinery = (Path(arg) for arg in sys.argv[1:3])
    json.dump(table(Types(api, machinery)), sys.stdout, separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    main()
