"""Field selectors: apimachinery's grammar and errors, and the fields each kind accepts."""

from __future__ import annotations

import pytest

from controlplane.models import fields
from controlplane.models.fields import FieldSelectorError, Term


def test_terms_are_sorted_and_values_unescaped() -> None:
    assert fields.parse("status.phase!=Running,metadata.name==a\\,b\\=c") == [
        Term("metadata.name", "a,b=c", negated=False),
        Term("status.phase", "Running", negated=True),
    ]
    assert fields.parse("") == [] and fields.parse(",,") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo", "invalid selector: 'foo'; can't understand 'foo'"),
        ("a=b,foo", "invalid selector: 'a=b,foo'; can't understand 'foo'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_parse_errors_are_apimachinerys(text: str, message: str) -> None:
    with pytest.raises(FieldSelectorError) as caught:
        fields.parse(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("Pod", "spec.image", "field label not supported: spec.image"),
        ("Node", "metadata.namespace", "field label not supported: metadata.namespace"),
        ("Namespace", "spec.finalizers", "field label not supported: spec.finalizers"),
        ("Secret", "data", "field label not supported: data"),
        (
            "ConfigMap",
            "data",
            '"data" is not a known field selector: only "metadata.name", "metadata.namespace"',
        ),
        (
            "Deployment",
            "status.replicas",
            '"status.replicas" is not a known field selector: only "metadata.name", '
            '"metadata.namespace"',
        ),
        (
            "ReplicaSet",
            "status.replicas",
            '"status.replicas" is not a known field selector: only "metadata.name", '
            '"metadata.namespace"',
        ),
    ],
)
def test_kinds_refuse_fields_they_do_not_select_on(kind: str, field: str, message: str) -> None:
    with pytest.raises(FieldSelectorError) as caught:
        fields.convert(kind, fields.parse(f"{field}=x"))
    assert str(caught.value) == message


def pod(phase: str, node: str | None, ips: list[str]) -> dict[str, object]:
    spec = {"nodeName": node} if node else {}
    return {
        "metadata": {"name": "web-0", "namespace": "shop"},
        "spec": spec,
        "status": {"phase": phase, "podIPs": [{"ip": ip} for ip in ips]},
    }


@pytest.mark.parametrize(
    ("selector", "selected"),
    [
        ("status.phase=Running", True),
        ("status.phase!=Running", False),
        ("spec.nodeName=node-1", True),
        ("spec.host=node-1", True),  # the old spelling, converted
        ("spec.nodeName=", False),
        ("metadata.namespace=shop,metadata.name=web-0", True),
        ("spec.hostNetwork=false", True),
        ("status.podIP=10.0.0.1", True),
        ("status.podIPs=10.0.0.2", True),
        ("status.podIPs!=10.0.0.2", False),
    ],
)
def test_pods_match_on_their_selectable_fields(selector: str, selected: bool) -> None:
    terms = fields.convert("Pod", fields.parse(selector))
    assert fields.matches("Pod", terms, pod("Running", "node-1", ["10.0.0.1", "10.0.0.2"])) is (
        selected
    )


def test_unscheduled_pod_has_an_empty_node_name() -> None:
    terms = fields.convert("Pod", fields.parse("spec.nodeName="))
    assert fields.matches("Pod", terms, pod("Pending", None, []))


def test_secrets_are_selected_by_type() -> None:
    release = {"metadata": {"name": "r", "namespace": "a"}, "type": "helm.sh/release.v1"}
    terms = fields.convert("Secret", fields.parse("type=helm.sh/release.v1"))
    assert fields.matches("Secret", terms, release)
    assert not fields.matches("Secret", terms, {**release, "type": "Opaque"})


def test_services_are_selected_by_type_and_cluster_ip() -> None:
    service = {"metadata": {"name": "web"}, "spec": {"type": "NodePort", "clusterIP": "10.96.4.5"}}
    terms = fields.convert("Service", fields.parse("spec.type=NodePort,spec.clusterIP=10.96.4.5"))
    assert fields.matches("Service", terms, service)
    assert not fields.matches("Service", terms, {**service, "spec": {"type": "ClusterIP"}})
