"""`describe`: one object in detail, with its related objects and events."""

from __future__ import annotations

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import (
    AllNamespaces,
    Filenames,
    Namespace,
    Resources,
    Selector,
    err,
    now,
    out,
)
from minikubectl.errors import CliError


def describe(
    resources: Resources = None,
    filename: Filenames = None,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    selector: Selector = None,
) -> None:
    """Show details of a resource or group of resources, with their events.

    A name that matches no object exactly describes every object whose name starts with it,
    as kubectl does.

    Examples:
      mkctl describe deployment web
      mkctl describe rs
      mkctl describe pods web-7c5ddbdf54
      mkctl describe -f samples/02-deployment.yaml
    """
    from controlplane.api.errors import ApiError
    from minikubectl.manifests import read_manifests
    from minikubectl.resources import parse_targets

    client = Client(namespace)
    targets = parse_targets(resources or [])
    if not targets and not filename:
        raise CliError(
            'You must specify the type of resource to describe. Use "mkctl '
            'api-resources" for a complete list of supported resources.'
        )
    texts: list[str] = []
    for m in read_manifests(filename) if filename else []:
        named = client.api.get(
            m.info.kind, client.namespace_for(m.info, m.obj), m.obj["metadata"]["name"]
        )
        texts.append(describe_one(client, m.info, named))
    for info, name in targets:
        if name is None:
            objs = client.list_objects(info, all_namespaces=all_namespaces, selector=selector)
        else:
            try:
                objs = [client.get(info, name)]
            except ApiError as exc:
                if exc.reason != "NotFound":  # describe.go: only NotFound tries a prefix
                    raise
                objs = [
                    o for o in client.list_objects(info) if o["metadata"]["name"].startswith(name)
                ]
                if not objs:
                    raise exc from None
        texts += [describe_one(client, info, obj) for obj in objs]
    if not texts:
        # describe.go, whatever the kind's scope: nothing described and nothing failed.
        err(
            "No resources found"
            if all_namespaces
            else f"No resources found in {client.namespace} namespace."
        )
        raise typer.Exit(0)
    out("\n\n".join(texts))


def describe_one(client: Client, info: KindInfo, obj: Obj) -> str:
    from minikubectl.printers import describe as printer

    quiet = ("Event", "ConfigMap", "Secret", "EndpointSlice")
    events = client.events_for(obj) if info.kind not in quiet else []
    moment = now()
    if info.kind == "Deployment":
        return printer.describe_deployment(obj, client.owned("ReplicaSet", obj), events, moment)
    if info.kind == "ReplicaSet":
        return printer.describe_replicaset(obj, client.owned("Pod", obj), events, moment)
    if info.kind == "StatefulSet":
        return printer.describe_statefulset(obj, client.owned("Pod", obj), events, moment)
    if info.kind == "DaemonSet":
        return printer.describe_daemonset(obj, client.owned("Pod", obj), events, moment)
    if info.kind == "Pod":
        return printer.describe_pod(obj, events, moment)
    if info.kind == "Node":
        pods = [
            p
            for p in client.list_objects(client_info("Pod"), all_namespaces=True)
            if p["spec"].get("nodeName") == obj["metadata"]["name"]
        ]
        return printer.describe_node(obj, pods, events, moment)
    if info.kind == "Namespace":
        return printer.describe_namespace(obj)
    if info.kind in ("Job", "CronJob"):
        from minikubectl.printers import describe_batch

        if info.kind == "Job":
            return describe_batch.describe_job(obj, events, moment)
        return describe_batch.describe_cronjob(obj, events, moment)
    if info.kind in ("Service", "Endpoints", "EndpointSlice"):
        return _describe_service_kind(client, info, obj, events, moment)
    if info.kind in ("ConfigMap", "Secret"):
        from minikubectl.printers import describe_config

        if info.kind == "ConfigMap":
            return describe_config.describe_configmap(obj)
        return describe_config.describe_secret(obj)
    if info.kind in ("PersistentVolumeClaim", "PersistentVolume", "StorageClass"):
        return _describe_storage(client, info, obj, events, moment)
    return printer.describe_event(obj, moment)


def _describe_service_kind(
    client: Client, info: KindInfo, obj: Obj, events: list[Obj], moment: float
) -> str:
    from minikubectl.printers import describe_services

    if info.kind == "Endpoints":
        return describe_services.describe_endpoints(obj, events, moment)
    if info.kind == "EndpointSlice":
        return describe_services.describe_endpoint_slice(obj)
    meta = obj["metadata"]
    slices = client.api.list(
        "EndpointSlice",
        meta["namespace"],
        label_selector=f"kubernetes.io/service-name={meta['name']}",
    )
    return describe_services.describe_service(obj, slices, events, moment)


def _describe_storage(
    client: Client, info: KindInfo, obj: Obj, events: list[Obj], moment: float
) -> str:
    from minikubectl.printers import describe_storage

    if info.kind == "PersistentVolumeClaim":
        pods = client.api.list("Pod", obj["metadata"]["namespace"])
        return describe_storage.describe_persistent_volume_claim(obj, pods, events, moment)
    if info.kind == "PersistentVolume":  # kubectl's PersistentVolumeDescriber shows no events
        return describe_storage.describe_persistent_volume(obj, None, moment)
    return describe_storage.describe_storage_class(obj, events, moment)


def client_info(kind: str) -> KindInfo:
    from controlplane.api.registry import kind_info

    return kind_info(kind)
