"""Containers, volumes and the Pod Template block of `kubectl describe` (DescribePodTemplate).

The same container printer serves a running pod (with statuses: Container ID, State, Ready,
Restart Count) and a template (indented one extra space, no statuses). The template text is
also what `rollout history --revision=N` prints, untouched by any tabwriter: literal tabs, so
`revision_detail` returns the raw text while describers align it with the rest of the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from controlplane.models.quantity import canonical_text
from minikubectl.printers.age import rfc1123z
from minikubectl.printers.writer import (
    PrefixWriter,
    annotations_multiline,
    gostr,
    labels_multiline,
    tolerations_multiline,
)

EnvResolver = Callable[[dict[str, Any]], str]

# Probe fields the API server defaults; shown with these values when an object lacks them.
_PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}


def _ports(ports: list[dict[str, Any]], field: str) -> str:
    """describeContainerPorts / HostPorts: `80/TCP`, `8080/TCP (http)`, joined by `, `."""
    shown = []
    for port in ports:
        text = f"{port.get(field) or 0}/{port.get('protocol') or 'TCP'}"
        if port.get("name"):
            text += f" ({port['name']})"
        shown.append(text)
    return ", ".join(shown)


def _intstr(value: Any) -> str:
    return "" if value is None else str(value)


def describe_probe(probe: dict[str, Any]) -> str:
    """DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s ...`."""
    p = {**_PROBE_DEFAULTS, **probe}
    attrs = (
        f"delay={p['initialDelaySeconds']}s timeout={p['timeoutSeconds']}s "
        f"period={p['periodSeconds']}s #success={p['successThreshold']} "
        f"#failure={p['failureThreshold']}"
    )
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        host, port = get.get("host", ""), _intstr(get.get("port"))
        if port:
            host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        path = get.get("path", "")
        if path and not path.startswith("/") and host:
            path = "/" + path
        scheme = str(get.get("scheme", "")).lower()
        url = (f"{scheme}:" if scheme else "") + (f"//{host}" if host else "") + path
        return f"http-get {url} {attrs}"
    if probe.get("tcpSocket") is not None:
        tcp = probe["tcpSocket"]
        return f"tcp-socket {tcp.get('host', '')}:{_intstr(tcp.get('port'))} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port', 0)} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _state(w: PrefixWriter, name: str, state: dict[str, Any]) -> None:
    """describeStatus: Running (+Started), Waiting (+Reason) or Terminated (+details)."""
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        w.field("Reason", t.get("reason"), level=3)
        w.field("Message", t.get("message"), level=3)
        w.write(3, f"Exit Code:\t{t.get('exitCode') or 0}\n")
        if (t.get("signal") or 0) > 0:
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{rfc1123z(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def _resources(w: PrefixWriter, resources: dict[str, Any] | None, level: int) -> None:
    for field, title in (("limits", "Limits"), ("requests", "Requests")):
        values = (resources or {}).get(field) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{canonical_text(values[name])}\n")


def _env(w: PrefixWriter, container: dict[str, Any], resolve: EnvResolver | None) -> None:
    env_from = container.get("envFrom") or []
    if env_from:
        w.write(2, "Environment Variables from:\n")
        for source in env_from:
            kind, ref = ("ConfigMap", source.get("configMapRef"))
            if ref is None:
                kind, ref = "Secret", source.get("secretRef") or {}
            optional = gostr(bool(ref.get("optional")))
            prefix = source.get("prefix")
            origin = f"{kind} with prefix '{prefix}'" if prefix else kind
            w.write(3, f"{ref.get('name', '')}\t{origin}\tOptional: {optional}\n")
    env = container.get("env") or []
    w.write(2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for var in env:
        name, source = var.get("name", ""), var.get("valueFrom")
        if source is None:
            for i, line in enumerate(str(var.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{line}\n" if i == 0 else f"\t{line}\n")
        elif source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = resolve(ref) if resolve else ""
            w.write(
                3, f"{name}:\t{value} ({ref.get('apiVersion', '')}:{ref.get('fieldPath', '')})\n"
            )
        elif source.get("resourceFieldRef") is not None:
            w.write(3, f"{name}:\t ({source['resourceFieldRef'].get('resource', '')})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            w.write(
                3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' in secret "
                f"'{ref.get('name', '')}'>\tOptional: {gostr(bool(ref.get('optional')))}\n",
            )
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            w.write(
                3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' of config map "
                f"'{ref.get('name', '')}'>\tOptional: {gostr(bool(ref.get('optional')))}\n",
            )


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mounts(w: PrefixWriter, container: dict[str, Any]) -> None:
    mounts = container.get("volumeMounts") or []
    w.write(2, "Mounts:" + ("" if mounts else "\t<none>") + "\n")
    for mount in sorted(mounts, key=lambda m: str(m.get("mountPath", ""))):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={_go_quote(mount['subPath'])}")
        w.write(
            3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n"
        )


def describe_containers(
    w: PrefixWriter,
    label: str,
    containers: list[dict[str, Any]],
    statuses: list[dict[str, Any]] | None,
    space: str,
    resolve: EnvResolver | None = None,
) -> None:
    """describeContainers: `space` is `"  "` inside a Pod Template and `""` for a pod."""
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{container.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = container.get("ports") or []
        shown = _ports(ports, "containerPort")
        if "," in shown:
            w.write(2, f"Ports:\t{shown}\n")
        else:
            w.write(2, f"Port:\t{shown or '<none>'}\n")
        host = _ports(ports, "hostPort")
        if "," in host:
            w.write(2, f"Host Ports:\t{host}\n")
        else:
            w.write(2, f"Host Port:\t{host or '<none>'}\n")
        for field, title in (("command", "Command"), ("args", "Args")):
            if container.get(field):
                w.write(2, f"{title}:\n")
                for item in container[field]:
                    for line in str(item).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _state(w, "State", status.get("state") or {})
            if (status.get("lastState") or {}).get("terminated") is not None:
                _state(w, "Last State", status["lastState"])
            w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount') or 0}\n")
        _resources(w, container.get("resources"), 2)
        for field, title in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if container.get(field) is not None:
                w.write(2, f"{title}:\t{describe_probe(container[field])}\n")
        _env(w, container, resolve)
        _mounts(w, container)


_OPTIONAL = ("Optional", "optional")
# The sources kubectl describes by a name and a flag (describe.go printSecretVolumeSource,
# printConfigMapVolumeSource, printPersistentVolumeClaimVolumeSource): the field, its type
# line, and the (title, field) of the name and of the flag.
_REFERENCES = (
    ("secret", "Secret (a volume populated by a Secret)", ("SecretName", "secretName"), _OPTIONAL),
    ("configMap", "ConfigMap (a volume populated by a ConfigMap)", ("Name", "name"), _OPTIONAL),
    (
        "persistentVolumeClaim",
        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        ("ClaimName", "claimName"),
        ("ReadOnly", "readOnly"),
    ),
)


def _name_and_flag(source: dict[str, Any], name: tuple[str, str], flag: tuple[str, str]) -> str:
    """`Name:\tvalue` and, below it, `Flag:\ttrue|false`."""
    value, on = source.get(name[1], ""), gostr(bool(source.get(flag[1])))
    return f"{name[0]}:\t{value}\n    {flag[0]}:\t{on}\n"


def _volume_source(w: PrefixWriter, volume: dict[str, Any]) -> None:
    """The common volume types; others print `<unknown>` (kubectl knows many more)."""
    reference = next((r for r in _REFERENCES if volume.get(r[0]) is not None), None)
    if volume.get("hostPath") is not None:
        src = volume["hostPath"]
        w.write(
            2,
            "Type:\tHostPath (bare host directory volume)\n"
            f"    Path:\t{src.get('path', '')}\n    HostPathType:\t{src.get('type') or '<none>'}\n",
        )
    elif volume.get("emptyDir") is not None:
        src = volume["emptyDir"]
        size = canonical_text(src["sizeLimit"]) if src.get("sizeLimit") else "<unset>"
        w.write(
            2,
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
            f"    Medium:\t{src.get('medium', '')}\n    SizeLimit:\t{size}\n",
        )
    elif reference is not None:
        key, kind, name, flag = reference
        w.write(2, f"Type:\t{kind}\n    {_name_and_flag(volume[key], name, flag)}")
    elif volume.get("projected") is not None:
        w.write(
            2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
        )
        for source in volume["projected"].get("sources") or []:
            if source.get("secret") is not None:
                w.write(2, _name_and_flag(source["secret"], ("SecretName", "name"), _OPTIONAL))
            elif source.get("downwardAPI") is not None:
                w.write(2, "DownwardAPI:\ttrue\n")
            elif source.get("configMap") is not None:
                name = ("ConfigMapName", "name")
                w.write(2, _name_and_flag(source["configMap"], name, _OPTIONAL))
            elif source.get("serviceAccountToken") is not None:
                seconds = source["serviceAccountToken"].get("expirationSeconds", 3600)
                w.write(2, f"TokenExpirationSeconds:\t{seconds}\n")
    else:
        w.write(1, "<unknown>\n")


def describe_volumes(w: PrefixWriter, volumes: list[dict[str, Any]] | None, space: str) -> None:
    volumes = volumes or []
    if not w.heading(f"{space}Volumes", volumes):
        return
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        _volume_source(w, volume)


def describe_pod_template(w: PrefixWriter, template: dict[str, Any] | None) -> None:
    """DescribePodTemplate: the `Pod Template:` block of Deployments and ReplicaSets."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        annotations_multiline(w, "  Annotations", meta["annotations"])
    w.field("Service Account", spec.get("serviceAccountName"), level=1)
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, "  ")
    describe_containers(w, "Containers", spec.get("containers") or [], None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    w.field("Priority Class Name", spec.get("priorityClassName"), level=1)
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))


def pod_template_lines(template: dict[str, Any] | None) -> list[str]:
    """The raw (untabbed) lines of the Pod Template block, tab separators included."""
    w = PrefixWriter()
    describe_pod_template(w, template)
    return w.text().splitlines()


def revision_detail(template: dict[str, Any] | None) -> str:
    """`rollout history --revision=N` body: the template block with literal tabs, then the
    empty line kubectl's name printer adds. The caller prints `<kind>/<name> with revision #N`
    on the line before (and has injected the revision's change-cause annotation)."""
    w = PrefixWriter()
    describe_pod_template(w, template)
    return w.text() + "\n"
