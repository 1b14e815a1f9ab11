"""A `kind: List` whose item is no object fails before anything is sent, in kubectl's words
for each `--validate`: its schema validator's with validation on, its decoder's with it off."""

from __future__ import annotations

from pathlib import Path

import pytest

from minikubectl.errors import CliError
from minikubectl.manifests import read_manifests

VALIDATOR = (
    'error: error validating "{file}": error validating data: invalid object to validate; if '
    "you choose to ignore these errors, turn validation off with --validate=false"
)
NO_KIND = (
    "unable to get type info from the object \"*unstructured.Unstructured\": Object 'Kind' is "
    "missing in 'object has no kind field '"
)
DECODER = (
    'error: unable to decode "{file}": json: cannot unmarshal {type} into Go value of type '
    "map[string]interface {{}}"
)


@pytest.mark.parametrize(
    ("item", "off"),
    [
        ("null", NO_KIND),
        ("3", DECODER.replace("{type}", "number")),
        ("abc", DECODER.replace("{type}", "string")),
    ],
)
def test_a_list_item_that_is_no_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], item: str, off: str
) -> None:
    manifest = tmp_path / "list.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
        f"  metadata: {{name: a}}\n- {item}\n"
    )
    file = str(manifest)
    for directive, expected in (("Strict", VALIDATOR), ("Ignore", off), ("Warn", off)):
        with pytest.raises(CliError) as refused:
            read_manifests([file], directive)
        assert refused.value.render() == expected.format(file=file), directive
    # warn cannot look a kind up for the item, and says so as kubectl's schema.go does
    assert capsys.readouterr().err.count("schema.go:145] cannot perform warn validation") == 1
