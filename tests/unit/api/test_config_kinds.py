"""ConfigMaps and Secrets: defaults, conversion of `stringData`, validation, decoding and
table cells, as kube-apiserver 1.37 treats them."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from controlplane.api.defaults import apply_defaults
from controlplane.api.errors import ApiError
from controlplane.api.tables.config import CONFIGMAP_COLUMNS, SECRET_COLUMNS
from controlplane.api.tables.table import convert_to_table
from controlplane.api.validation import decode_error, validate
from controlplane.api.validation.decoding import corrupt_base64_offset
from controlplane.api.verbs import Api

KEY_MESSAGE = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
    "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
    "'[-._a-zA-Z0-9]+')"
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(**fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "default"},
        **fields,
    }


def config_map(**fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "default"},
        **fields,
    }


def test_a_secret_defaults_to_opaque_and_string_data_overwrites_data() -> None:
    obj = secret(data={"a": b64("old"), "b": b64("kept")}, stringData={"a": "new"})
    apply_defaults(obj)
    assert obj["type"] == "Opaque"
    assert obj["data"] == {"a": b64("new"), "b": b64("kept")}
    assert "stringData" not in obj


def test_a_secret_keeps_its_type() -> None:
    obj = secret(type="kubernetes.io/tls", data={"tls.crt": "", "tls.key": ""})
    apply_defaults(obj)
    assert obj["type"] == "kubernetes.io/tls"


def test_keys_must_be_config_keys() -> None:
    errors = [str(e) for e in validate(config_map(data={"a b": "x", "..x": "y", "ok": "z"}))]
    assert errors == [
        "data[..x]: Invalid value: \"..x\": must not start with '..'",
        f'data[a b]: Invalid value: "a b": {KEY_MESSAGE}',
    ]


def test_a_config_map_key_is_in_data_or_binary_data() -> None:
    errors = validate(config_map(data={"k": "x"}, binaryData={"k": b64("y")}))
    assert [str(e) for e in errors] == [
        'data[k]: Invalid value: "k": duplicate of key present in binaryData'
    ]


def test_a_secret_holds_at_most_one_mebibyte() -> None:
    big = base64.b64encode(b"x" * (1024 * 1024 + 1)).decode()
    assert [str(e) for e in validate(secret(type="Opaque", data={"big": big}))] == [
        "data: Too long: may not be more than 1048576 bytes"
    ]
    fits = base64.b64encode(b"x" * (1024 * 1024)).decode()
    assert validate(secret(type="Opaque", data={"big": fits})) == []


def test_well_known_secret_types_need_their_keys() -> None:
    assert [str(e) for e in validate(secret(type="kubernetes.io/tls", data={}))] == [
        "data[tls.crt]: Required value",
        "data[tls.key]: Required value",
    ]
    assert [str(e) for e in validate(secret(type="kubernetes.io/basic-auth"))] == [
        "data[username]: Required value",
        "data[password]: Required value",
    ]
    assert validate(secret(type="kubernetes.io/basic-auth", data={"password": ""})) == []
    assert [str(e) for e in validate(secret(type="kubernetes.io/ssh-auth"))] == [
        "data[ssh-privatekey]: Required value"
    ]
    dockercfg = secret(type="kubernetes.io/dockerconfigjson", data={".dockerconfigjson": b64("[")})
    assert [str(e) for e in validate(dockercfg)] == [
        'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": '
        "unexpected end of JSON input"
    ]
    dockercfg["data"][".dockerconfigjson"] = b64("[]")
    assert [str(e) for e in validate(dockercfg)] == [
        'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot '
        "unmarshal array into Go value of type map[string]interface {}"
    ]
    dockercfg["data"][".dockerconfigjson"] = b64('{"auths": {}}')
    assert validate(dockercfg) == []


def test_a_secret_type_cannot_change() -> None:
    old = secret(type="Opaque")
    errors = validate(secret(type="helm.sh/release.v1"), old)
    assert [str(e) for e in errors] == [
        'type: Invalid value: "helm.sh/release.v1": field is immutable'
    ]


def test_an_immutable_config_map_keeps_its_data_and_stays_immutable() -> None:
    old = config_map(data={"a": "1"}, immutable=True)
    errors = validate(config_map(data={"a": "2"}), old)
    assert [str(e) for e in errors] == [
        "immutable: Forbidden: field is immutable when `immutable` is set",
        "data: Forbidden: field is immutable when `immutable` is set",
    ]
    assert validate(config_map(data={"a": "1"}, immutable=True), old) == []


def test_the_decoder_refuses_secret_data_that_is_not_base64() -> None:
    assert decode_error(secret(data={"a": "not base64!"})) == (
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3'
    )
    assert decode_error(secret(data={"a": b64("fine")}, stringData={"b": "any text!"})) is None
    assert decode_error(secret(data={"a": 5})) == (
        'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number '
        "into Go struct field Secret.data of type []uint8"
    )


@pytest.mark.parametrize(
    ("text", "offset"),
    [("aGk=", None), ("aGk", 0), ("a===", 1), ("aG=x", 2), ("aGk=x", 4), ("aG\nk=", None)],
)
def test_base64_errors_point_where_go_stops(text: str, offset: int | None) -> None:
    assert corrupt_base64_offset(text) == offset


def test_strict_decoding_knows_the_fields_of_both_kinds() -> None:
    assert decode_error(config_map(binaryData={}, immutable=True, data={})) is None
    assert decode_error(secret(stringData={}, type="Opaque", immutable=False)) is None
    assert decode_error(config_map(datta={})) == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: '
        'unknown field "datta"'
    )


def test_tables_count_keys_and_never_show_values() -> None:
    now = 1_000_000.0
    cm = config_map(data={"a": "1", "b": "2"}, binaryData={"c": b64("3")})
    cm["metadata"]["creationTimestamp"] = "1970-01-12T13:46:00Z"
    table = convert_to_table("ConfigMap", {"items": [cm], "metadata": {}}, now)
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert table["rows"][0]["cells"] == ["c", 3, "40s"]
    s = secret(type="helm.sh/release.v1", data={"release": b64("x")})
    s["metadata"]["creationTimestamp"] = "1970-01-12T13:46:00Z"
    row = convert_to_table("Secret", s, now)["rows"][0]
    assert row["cells"] == ["s", "helm.sh/release.v1", 1, "40s"]
    assert [c.name for c in SECRET_COLUMNS] == ["Name", "Type", "Data", "Age"]
    assert len(CONFIGMAP_COLUMNS) == 3


def test_a_secret_is_stored_with_string_data_encoded(api: Api) -> None:
    created = api.create(secret(stringData={"password": "s3cr3t"}))
    stored = api.get("Secret", "default", "s")
    assert created["data"] == stored["data"] == {"password": b64("s3cr3t")}
    assert "stringData" not in stored and stored["type"] == "Opaque"
    stored["type"] = "kubernetes.io/basic-auth"
    with pytest.raises(ApiError) as caught:
        api.update(stored)
    assert caught.value.reason == "Invalid"
    assert api.get("Secret", "default", "s")["type"] == "Opaque"
