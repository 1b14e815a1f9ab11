"""Protobuf request bodies decode to the JSON a client would have sent.

The `.bin` files are bodies real kubectl 1.37 POSTed for `create deployment` and
`create namespace`; the expected objects are what the same kubectl prints for the same
command with `--dry-run=client -o json` (less `creationTimestamp: null`, which Go writes
for a zero time and a server reads as absent). The other cases are encoded here by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.apiserver.handlers import handle
from controlplane.apiserver.paths import parse_path
from controlplane.apiserver.protobuf import CONTENT_TYPE, MAGIC, decode_body

BODIES = Path(__file__).parent / "protobuf_bodies"


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative numbers: two's complement, ten bytes
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number: int, value: int | bytes) -> bytes:
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    return varint(number << 3 | 2) + varint(len(value)) + value


def message(*fields: bytes) -> bytes:
    return b"".join(fields)


def envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    """runtime.Unknown behind the magic: typeMeta = 1, raw = 2."""
    type_meta = message(field(1, api_version.encode()), field(2, kind.encode()))
    return MAGIC + message(field(1, type_meta), field(2, raw))


def test_kubectl_create_deployment_decodes_as_its_json() -> None:
    assert decode_body((BODIES / "create-deployment-web.bin").read_bytes()) == {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 0,  # a pointer sent as zero stays: --replicas=0 is not "unset"
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.25",
                            "ports": [{"containerPort": 80}],
                            "resources": {},
                        }
                    ]
                },
            },
            "strategy": {},
        },
        "status": {},
    }


def test_kubectl_create_namespace_decodes_as_its_json() -> None:
    assert decode_body((BODIES / "create-namespace-team-a.bin").read_bytes()) == {
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": {"name": "team-a"},
        "spec": {},
        "status": {},
    }


def test_special_types_decode_to_their_json_forms() -> None:
    time = message(field(1, 1_700_000_000), field(2, 5))
    quantity = message(field(1, b"250m"))
    percent = message(field(1, 1), field(3, b"25%"))  # IntOrString, type string
    requests = field(1, b"cpu") + field(2, quantity)  # a map entry: key 1, value 2
    pod = message(
        field(1, message(field(1, b"p"), field(8, time), field(10, -1))),
        field(
            2,
            message(
                field(2, message(field(1, b"c"), field(8, message(field(2, requests))))),
                field(4, 30),  # terminationGracePeriodSeconds
            ),
        ),
    )
    assert decode_body(envelope("v1", "Pod", pod)) == {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": "p",
            "creationTimestamp": "2023-11-14T22:13:20Z",
            "deletionGracePeriodSeconds": -1,
        },
        "spec": {
            "containers": [{"name": "c", "resources": {"requests": {"cpu": "250m"}}}],
            "terminationGracePeriodSeconds": 30,
        },
    }
    strategy = message(field(1, b"RollingUpdate"), field(2, message(field(1, percent))))
    deployment = message(field(2, message(field(4, strategy))))
    spec = decode_body(envelope("apps/v1", "Deployment", deployment))["spec"]
    assert spec == {
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%"}}
    }


def test_omitempty_zero_scalars_are_dropped_and_required_ones_kept() -> None:
    """Generated marshallers write non-pointer scalars even when zero; encoding/json's
    omitempty drops them again (metadata.generation), a field without it keeps them
    (a container's name)."""
    pod = message(
        field(1, message(field(1, b"p"), field(7, 0))),
        field(2, message(field(2, message(field(1, b""))))),
    )
    assert decode_body(envelope("v1", "Pod", pod)) == {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": ""}]},
    }


def test_an_eviction_decodes_with_its_delete_options() -> None:
    eviction = message(
        field(1, message(field(1, b"web-1"), field(3, b"default"))),
        field(2, message(field(1, 0))),  # deleteOptions.gracePeriodSeconds = 0
    )
    assert decode_body(envelope("policy/v1", "Eviction", eviction)) == {
        "kind": "Eviction",
        "apiVersion": "policy/v1",
        "metadata": {"name": "web-1", "namespace": "default"},
        "deleteOptions": {"gracePeriodSeconds": 0},
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"kind": "Pod"}', "does not appear to be a protobuf message"),
        (MAGIC + b"\x0a\x05ab", "unexpected EOF"),
        (
            envelope("v1", "ComponentStatus", b""),
            'no kind "ComponentStatus" is registered for version "v1"',
        ),
        (envelope("v1", "Pod", b"\x0a\x03\xff\xfe\xfd"), "could not be decoded"),
    ],
)
def test_malformed_bodies_are_bad_requests(body: bytes, words: str) -> None:
    with pytest.raises(ApiError) as refused:
        decode_body(body)
    assert refused.value.code == 400 and refused.value.reason == "BadRequest"
    assert words in refused.value.message


def test_a_protobuf_post_creates_the_object(api: Api) -> None:
    route = parse_path("/apis/apps/v1/namespaces/default/deployments")
    assert route is not None
    body = (BODIES / "create-deployment-multi.bin").read_bytes()
    code, created = handle(api, "POST", route, {}, body, CONTENT_TYPE)
    assert code == 201
    stored = api.get("Deployment", "default", "multi")
    assert stored == created
    assert [c["image"] for c in stored["spec"]["template"]["spec"]["containers"]] == [
        "nginx",
        "redis:7",
    ]
    assert stored["spec"]["replicas"] == 1 and stored["metadata"]["generation"] == 1


def test_storage_kinds_decode_from_protobuf() -> None:
    """A typed client's PersistentVolumeClaim and StorageClass (storage.k8s.io/v1) bodies."""
    name = message(field(1, b"data"))
    requests = message(field(1, b"storage"), field(2, message(field(1, b"1Gi"))))
    spec = message(
        field(1, b"ReadWriteOnce"), field(2, message(field(2, requests))), field(5, b"fast")
    )
    claim = envelope("v1", "PersistentVolumeClaim", message(field(1, name), field(2, spec)))
    assert decode_body(claim)["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
        "storageClassName": "fast",
    }
    fast = message(
        field(1, message(field(1, b"fast"))),
        field(2, b"example.com/disk"),
        field(6, 1),
        field(7, b"WaitForFirstConsumer"),
    )
    decoded = decode_body(envelope("storage.k8s.io/v1", "StorageClass", fast))
    assert {
        k: decoded[k] for k in ("provisioner", "allowVolumeExpansion", "volumeBindingMode")
    } == {
        "provisioner": "example.com/disk",
        "allowVolumeExpansion": True,
        "volumeBindingMode": "WaitForFirstConsumer",
    }
