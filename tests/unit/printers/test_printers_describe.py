"""`kubectl describe` pages, compared with the reference layouts (10.5 - 10.9)."""

from __future__ import annotations

from typing import Any

from printers_builders import T0, container_status, deployment, event, pod, replica_set, ts

from minikubectl.printers.describe import (
    describe_deployment,
    describe_pod,
    describe_replicaset,
    events_for,
    pod_template_lines,
    revision_detail,
)

NOW = T0 + 3600


def _sets() -> list[dict[str, Any]]:
    old = replica_set("7c5ddbdf54", image="nginx:1.14.2", replicas=0, revision=1, created=ts())
    new = replica_set("5d59d67564", image="nginx:1.16.1", replicas=3, revision=2, created=ts(60))
    return [new, old]


def test_describe_deployment_matches_reference_layout() -> None:
    events = [
        event(
            "ScalingReplicaSet",
            "Scaled up replica set nginx-5d59d67564 from 0 to 1",
            first=ts(3600 - 60),
        ),
        event(
            "ScalingReplicaSet",
            "Scaled up replica set nginx-7c5ddbdf54 from 0 to 3",
            first=ts(3600 - 300),
        ),
    ]
    assert describe_deployment(deployment(), _sets(), events, NOW) == (
        "Name:                   nginx\n"
        "Namespace:              default\n"
        "CreationTimestamp:      Tue, 02 Jan 2024 15:04:05 +0000\n"
        "Labels:                 app=nginx\n"
        "Annotations:            deployment.kubernetes.io/revision: 2\n"
        "Selector:               app=nginx\n"
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n"
        "StrategyType:           RollingUpdate\n"
        "MinReadySeconds:        0\n"
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.16.1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Conditions:\n"
        "  Type           Status  Reason\n"
        "  ----           ------  ------\n"
        "  Available      True    MinimumReplicasAvailable\n"
        "  Progressing    True    NewReplicaSetAvailable\n"
        "OldReplicaSets:  nginx-7c5ddbdf54 (0/0 replicas created)\n"
        "NewReplicaSet:   nginx-5d59d67564 (3/3 replicas created)\n"
        "Events:\n"
        "  Type    Reason             Age   From                   Message\n"
        "  ----    ------             ----  ----                   -------\n"
        "  Normal  ScalingReplicaSet  5m    deployment-controller  "
        "Scaled up replica set nginx-7c5ddbdf54 from 0 to 3\n"
        "  Normal  ScalingReplicaSet  60s   deployment-controller  "
        "Scaled up replica set nginx-5d59d67564 from 0 to 1\n"
    )


def test_describe_deployment_without_replica_sets_or_events() -> None:
    dep = deployment()
    dep["spec"]["strategy"] = {"type": "Recreate"}
    del dep["status"]["conditions"]
    text = describe_deployment(dep, [], [], NOW)
    assert "RollingUpdateStrategy" not in text
    assert "OldReplicaSets" not in text
    assert text.endswith("  Tolerations:     <none>\nEvents:            <none>\n")


def test_describe_deployment_with_only_old_replica_sets() -> None:
    old = _sets()[1]
    text = describe_deployment(deployment(), [old], None, NOW)
    assert text.endswith(
        "OldReplicaSets:  nginx-7c5ddbdf54 (0/0 replicas created)\nNewReplicaSet:   <none>\n"
    )


def test_describe_replicaset_matches_reference_layout() -> None:
    rs = replica_set(
        "7c5ddbdf54",
        image="nginx:1.14.2",
        replicas=3,
        revision=1,
        created=ts(),
        annotations={
            "deployment.kubernetes.io/desired-replicas": "3",
            "deployment.kubernetes.io/max-replicas": "4",
        },
    )
    pods = [pod(f"nginx-7c5ddbdf54-{i}") for i in "abc"]
    for p in pods:
        p["metadata"]["ownerReferences"] = [
            {"kind": "ReplicaSet", "name": "nginx-7c5ddbdf54", "uid": "uid-rs-7c5ddbdf54",
             "controller": True}
        ]  # fmt: skip
    pods.append(pod("stranger", phase="Pending"))
    events = [
        event(
            "SuccessfulCreate",
            "Created pod: nginx-7c5ddbdf54-2xkzq",
            first=ts(3600 - 300),
            kind="ReplicaSet",
            name="nginx-7c5ddbdf54",
            component="replicaset-controller",
        )
    ]
    assert describe_replicaset(rs, pods, events, NOW) == (
        "Name:           nginx-7c5ddbdf54\n"
        "Namespace:      default\n"
        "Selector:       app=nginx,pod-template-hash=7c5ddbdf54\n"
        "Labels:         app=nginx\n"
        "                pod-template-hash=7c5ddbdf54\n"
        "Annotations:    deployment.kubernetes.io/desired-replicas: 3\n"
        "                deployment.kubernetes.io/max-replicas: 4\n"
        "                deployment.kubernetes.io/revision: 1\n"
        "Controlled By:  Deployment/nginx\n"
        "Replicas:       3 current / 3 desired\n"
        "Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "           pod-template-hash=7c5ddbdf54\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.14.2\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age   From                   Message\n"
        "  ----    ------            ----  ----                   -------\n"
        "  Normal  SuccessfulCreate  5m    replicaset-controller  "
        "Created pod: nginx-7c5ddbdf54-2xkzq\n"
    )


def _reference_pod() -> dict[str, Any]:
    obj = pod(labels={"app": "nginx", "pod-template-hash": "7c5ddbdf54"})
    obj["metadata"]["ownerReferences"] = [
        {"kind": "ReplicaSet", "name": "nginx-7c5ddbdf54", "uid": "u", "controller": True}
    ]
    spec = obj["spec"]
    spec.update(
        {
            "priority": 0,
            "serviceAccountName": "default",
            "containers": [
                {
                    "name": "nginx",
                    "image": "nginx:1.14.2",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "volumeMounts": [
                        {
                            "name": "kube-api-access-8hxkz",
                            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                            "readOnly": True,
                        }
                    ],
                }
            ],
            "volumes": [
                {
                    "name": "kube-api-access-8hxkz",
                    "projected": {
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {"configMap": {"name": "kube-root-ca.crt"}},
                            {"downwardAPI": {"items": []}},
                        ]
                    },
                }
            ],
            "tolerations": [
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300},
            ],
        }
    )  # fmt: skip
    status = obj["status"]
    status["hostIP"] = "192.168.49.2"
    status["startTime"] = ts(1)
    status["containerStatuses"][0].update(
        {"containerID": "containerd://3f9a...", "imageID": "docker.io/library/nginx@sha256:..."}
    )
    status["conditions"] = [
        {"type": t, "status": "True"}
        for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                  "PodScheduled")
    ]  # fmt: skip
    return obj


def test_describe_pod_matches_reference_layout() -> None:
    events = [
        event(
            "Scheduled",
            "Successfully assigned default/nginx-7c5ddbdf54-2xkzq to node-1",
            first=ts(3600 - 60),
            kind="Pod",
            name="nginx-7c5ddbdf54-2xkzq",
            component="default-scheduler",
        ),
        event(
            "Pulled",
            'Container image "nginx:1.14.2" already present on machine',
            first=ts(3600 - 59),
            kind="Pod",
            name="nginx-7c5ddbdf54-2xkzq",
            component="kubelet",
        ),
    ]
    assert describe_pod(_reference_pod(), events, NOW) == (
        "Name:             nginx-7c5ddbdf54-2xkzq\n"
        "Namespace:        default\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        "Node:             node-1/192.168.49.2\n"
        "Start Time:       Tue, 02 Jan 2024 15:04:06 +0000\n"
        "Labels:           app=nginx\n"
        "                  pod-template-hash=7c5ddbdf54\n"
        "Annotations:      <none>\n"
        "Status:           Running\n"
        "IP:               10.244.0.5\n"
        "IPs:\n"
        "  IP:           10.244.0.5\n"
        "Controlled By:  ReplicaSet/nginx-7c5ddbdf54\n"
        "Containers:\n"
        "  nginx:\n"
        "    Container ID:   containerd://3f9a...\n"
        "    Image:          nginx:1.14.2\n"
        "    Image ID:       docker.io/library/nginx@sha256:...\n"
        "    Port:           80/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "      Started:      Tue, 02 Jan 2024 15:04:09 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:    <none>\n"
        "    Mounts:\n"
        "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-8hxkz (ro)\n"
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:\n"
        "  kube-api-access-8hxkz:\n"
        "    Type:                    Projected (a volume that contains injected data from "
        "multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    Optional:                false\n"
        "    DownwardAPI:             true\n"
        "QoS Class:                   BestEffort\n"
        "Node-Selectors:              <none>\n"
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:\n"
        "  Type    Reason     Age   From               Message\n"
        "  ----    ------     ----  ----               -------\n"
        "  Normal  Scheduled  60s   default-scheduler  "
        "Successfully assigned default/nginx-7c5ddbdf54-2xkzq to node-1\n"
        "  Normal  Pulled     59s   kubelet            "
        'Container image "nginx:1.14.2" already present on machine\n'
    )


def test_describe_terminating_pod_with_waiting_container() -> None:
    obj = pod(
        deletion=ts(3600 + 30),
        ip=None,
        statuses=[
            container_status(
                state={"waiting": {"reason": "CrashLoopBackOff"}},
                ready=False,
                restarts=2,
                last_finished=ts(3000),
            )
        ],
    )
    text = describe_pod(obj, [], NOW)
    assert "Status:                    Terminating (lasts <invalid>)\n" in text
    assert "Termination Grace Period:  30s\n" in text
    assert "IP:                        \nIPs:                       <none>\n" in text
    assert (
        "    State:          Waiting\n"
        "      Reason:       CrashLoopBackOff\n"
        "    Last State:     Terminated\n"
        "      Reason:       Error\n"
        "      Exit Code:    1\n"
        "      Started:      Mon, 01 Jan 0001 00:00:00 +0000\n"
        "      Finished:     Tue, 02 Jan 2024 15:54:05 +0000\n"
        "    Ready:          False\n"
        "    Restart Count:  2\n"
    ) in text
    # No Conditions line here, so the container fields and the tail align as one block.
    assert text.endswith("Tolerations:        <none>\nEvents:             <none>\n")


def test_repeated_events_and_field_path_prefix() -> None:
    events = [
        event(
            "BackOff",
            "Back-off restarting failed container nginx",
            first=ts(3600 - 600),
            last=ts(3600 - 120),
            count=5,
            kind="Pod",
            name="nginx-7c5ddbdf54-2xkzq",
            component="kubelet",
            type_="Warning",
            field_path="spec.containers{nginx}",
        )
    ]
    assert describe_pod(pod(), events, NOW).endswith(
        "Events:\n"
        "  Type     Reason   Age               From     Message\n"
        "  ----     ------   ----              ----     -------\n"
        "  Warning  BackOff  2m (x5 over 10m)  kubelet  "
        "spec.containers{nginx}: Back-off restarting failed container nginx\n"
    )


def test_events_for_matches_uid_or_name() -> None:
    dep = deployment()
    by_uid = event("A", "a", first=ts()) | {"involvedObject": {"uid": "uid-deploy"}}
    by_name = event("B", "b", first=ts())
    other = event("C", "c", first=ts(), name="other")
    other_uid = event("D", "d", first=ts()) | {"involvedObject": {"uid": "x", "name": "nginx"}}
    assert events_for(dep, [by_uid, by_name, other, other_uid]) == [by_uid, by_name]


def test_annotations_hide_last_applied_and_wrap_long_values() -> None:
    dep = deployment()
    dep["metadata"]["annotations"]["note"] = "x" * 150
    dep["metadata"]["annotations"]["multi"] = "one\ntwo\n"
    text = describe_deployment(dep, [], None, NOW)
    assert (
        "Annotations:            deployment.kubernetes.io/revision: 2\n"
        "                        multi:\n"
        "                          one\n"
        "                          two\n"
        "                        note:\n"
        f"                          {'x' * 138}...\n"
    ) in text
    assert "last-applied" not in text


def test_pod_template_with_details() -> None:
    tmpl = {
        "metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}},
        "spec": {
            "serviceAccountName": "robot",
            "nodeSelector": {"disk": "ssd"},
            "containers": [
                {
                    "name": "web",
                    "image": "web:2",
                    "command": ["sh", "-c"],
                    "args": ["echo hi\nbye"],
                    "ports": [
                        {"containerPort": 80, "protocol": "TCP", "name": "http"},
                        {"containerPort": 443, "protocol": "TCP"},
                    ],
                    "resources": {"limits": {"cpu": "0.5", "memory": "1024Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080,
                                                   "scheme": "HTTP"}},
                    "env": [{"name": "MODE", "value": "prod"},
                            {"name": "POD", "valueFrom": {"fieldRef": {
                                "apiVersion": "v1", "fieldPath": "metadata.name"}}}],
                    "volumeMounts": [{"name": "data", "mountPath": "/data", "subPath": "x"}],
                }
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
        },
    }  # fmt: skip
    assert pod_template_lines(tmpl) == [
        "Pod Template:",
        "  Labels:\tapp=web",
        "  Annotations:\ta: b",
        "  Service Account:\trobot",
        "  Containers:",
        "   web:",
        "    Image:\tweb:2",
        "    Ports:\t80/TCP (http), 443/TCP",
        "    Host Ports:\t0/TCP (http), 0/TCP",
        "    Command:",
        "      sh",
        "      -c",
        "    Args:",
        "      echo hi",
        "      bye",
        "    Limits:",
        "      cpu:\t500m",
        "      memory:\t1Gi",
        "    Readiness:\thttp-get http://:8080/healthz delay=0s timeout=1s period=10s "
        "#success=1 #failure=3",
        "    Environment:",
        "      MODE:\tprod",
        "      POD:\t (v1:metadata.name)",
        "    Mounts:",
        '      /data from data (rw,path="x")',
        "  Volumes:",
        "   data:",
        "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
        "    Medium:\t",
        "    SizeLimit:\t<unset>",
        "  Node-Selectors:\tdisk=ssd",
        "  Tolerations:\t<none>",
    ]


def test_revision_detail_is_not_aligned() -> None:
    tmpl = replica_set("5d59d67564", image="nginx:1.16.1", replicas=3, revision=4, created=ts())[
        "spec"
    ]["template"]
    tmpl["metadata"]["annotations"] = {
        "kubernetes.io/change-cause": "kubectl set image deployment/nginx nginx=nginx:1.16.1 "
        "--record=true"
    }
    assert revision_detail(tmpl) == (
        "Pod Template:\n"
        "  Labels:\tapp=nginx\n"
        "\tpod-template-hash=5d59d67564\n"
        "  Annotations:\tkubernetes.io/change-cause: kubectl set image deployment/nginx "
        "nginx=nginx:1.16.1 --record=true\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.16.1\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n"
    )
