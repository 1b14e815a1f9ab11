"""Embedded mode (no daemon) answers writes as the daemon does: `--validate` is the
request's fieldValidation, a command without the flag gets the API server's default (Warn:
the unknown field dropped, the warning shown), and `scale` goes through the scale
subresource, which names its writer with `subresource: scale`."""

from __future__ import annotations

import json

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\nextra: 1\ndata:\n  a: b\n"
UNKNOWN = 'Warning: unknown field "extra"\n'


def test_validate_decides_what_an_unknown_field_does(mkctl: Mkctl) -> None:
    strict = mkctl("apply", "-f", "-", stdin=CONFIG_MAP.format(name="strict"))
    assert strict.code == 1
    assert strict.err == (
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" '
        'cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"\n'
    )
    warned = mkctl("apply", "-f", "-", "--validate=warn", stdin=CONFIG_MAP.format(name="warn"))
    assert (warned.code, warned.out, warned.err) == (0, "configmap/warn created\n", UNKNOWN)
    quiet = mkctl("create", "-f", "-", "--validate=false", stdin=CONFIG_MAP.format(name="ignored"))
    assert (quiet.code, quiet.out, quiet.err) == (0, "configmap/ignored created\n", "")
    stored = json.loads(mkctl("get", "configmap", "ignored", "-o", "json").out)
    assert "extra" not in stored and stored["data"] == {"a": "b"}
    bad = mkctl("replace", "-f", "-", "--validate=maybe", stdin=CONFIG_MAP.format(name="ignored"))
    assert bad.code == 1
    assert bad.err.startswith('error: invalid - validate option "maybe"')


def test_a_patch_sends_no_directive_and_gets_the_servers_warning(mkctl: Mkctl) -> None:
    assert (
        mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=1, image="nginx")).code == 0
    )
    patched = mkctl("patch", "deployment", "web", "-p", '{"spec":{"extra":1}}')
    assert patched.code == 0, patched.err
    assert patched.out == "deployment.apps/web patched (no change)\n"
    assert patched.err == 'Warning: unknown field "spec.extra"\n'


def test_scale_goes_through_the_scale_subresource(mkctl: Mkctl) -> None:
    assert (
        mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=1, image="nginx")).code == 0
    )
    dry = mkctl("scale", "deployment", "web", "--replicas=4", "--dry-run=server", "-o", "json")
    assert json.loads(dry.out)["spec"]["replicas"] == 4
    assert mkctl("scale", "deployment", "web", "--replicas=3").out == "deployment.apps/web scaled\n"
    shown = json.loads(mkctl("get", "deployment", "web", "-o", "json", "--show-managed-fields").out)
    assert shown["spec"]["replicas"] == 3
    scaler = [e for e in shown["metadata"]["managedFields"] if e.get("subresource") == "scale"]
    assert [(e["manager"], e["operation"], e["fieldsV1"]) for e in scaler] == [
        ("kubectl", "Update", {"f:spec": {"f:replicas": {}}})
    ]
