"""CoreDNS as kubeadm installs it in kube-system: its ConfigMap and its Deployment.

From cmd/kubeadm/app/phases/addons/dns/manifests.go (CoreDNSDeployment, CoreDNSConfigMap):
two replicas labelled `k8s-app: kube-dns`, spread over nodes, tolerating the control-plane
taint, reading its Corefile from the `coredns` ConfigMap. The image is the one
`kubeadm config images list` names for Kubernetes 1.36 and 1.37
(cmd/kubeadm/app/constants/constants.go CoreDNSVersion).

mkctl runs no DNS server: these pods are simulated like any other, so `get pods -A`, `get
deploy -n kube-system` and `logs -n kube-system deploy/coredns` look as on a real cluster.
"""

from __future__ import annotations

from controlplane.models.constants import Obj

NAMESPACE = "kube-system"
NAME = "coredns"
IMAGE = "registry.k8s.io/coredns/coredns:v1.14.2"
LABELS = {"k8s-app": "kube-dns"}
CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane"

COREFILE = """\
.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""


def config_map() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": NAME, "namespace": NAMESPACE},
        "data": {"Corefile": COREFILE},
    }


def _port(name: str, port: int, protocol: str) -> Obj:
    return {"containerPort": port, "name": name, "protocol": protocol}


def deployment() -> Obj:
    container: Obj = {
        "name": NAME,
        "image": IMAGE,
        "imagePullPolicy": "IfNotPresent",
        "args": ["-conf", "/etc/coredns/Corefile"],
        "resources": {
            "limits": {"memory": "170Mi"},
            "requests": {"cpu": "100m", "memory": "70Mi"},
        },
        "ports": [
            _port("dns", 53, "UDP"),
            _port("dns-tcp", 53, "TCP"),
            _port("metrics", 9153, "TCP"),
        ],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": dict(LABELS)},
        "spec": {
            "replicas": 2,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "selector": {"matchLabels": dict(LABELS)},
            "template": {
                "metadata": {"labels": dict(LABELS)},
                "spec": {
                    "priorityClassName": "system-cluster-critical",
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"key": CONTROL_PLANE_ROLE, "effect": "NoSchedule"},
                    ],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "containers": [container],
                    "dnsPolicy": "Default",
                },
            },
        },
    }


# kubeadm's DNS address: the tenth of the service CIDR (cmd/kubeadm/app/constants GetDNSIP)
DNS_IP = "10.96.0.10"


def service() -> Obj:
    """The `kube-dns` Service in front of CoreDNS, as kubeadm's CoreDNSService manifest
    (cmd/kubeadm/app/phases/addons/dns/manifests.go) makes it: `kubectl cluster-info` names
    it by its `kubernetes.io/cluster-service` label."""
    ports = [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kube-dns",
            "namespace": NAMESPACE,
            "labels": {
                **LABELS,
                "kubernetes.io/cluster-service": "true",
                "kubernetes.io/name": "CoreDNS",
            },
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
        },
        "spec": {
            "clusterIP": DNS_IP,
            "ports": [
                {"name": name, "port": port, "protocol": protocol, "targetPort": port}
                for name, port, protocol in ports
            ],
            "selector": dict(LABELS),
        },
    }
