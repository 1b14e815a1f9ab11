"""kubectl's global flags before the verb and after it, and `version`, with the real mkctl."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

WEB = WEB_DEPLOYMENT.format(replicas=1, image="nginx:1.25")


def names(mkctl: Mkctl, *args: str) -> list[str]:
    result = mkctl(*args)
    assert result.code == 0, result.err
    return result.out.split()


def test_namespace_before_the_verb_is_the_namespace_of_the_request(mkctl: Mkctl) -> None:
    assert mkctl("create", "namespace", "team").code == 0
    assert mkctl("-n", "team", "apply", "-f", "-", stdin=WEB).code == 0
    for spelling in (["-n", "team"], ["--namespace", "team"], ["--namespace=team"], ["-n=team"]):
        assert names(mkctl, *spelling, "get", "deploy", "-o", "name") == ["deployment.apps/web"], (
            spelling
        )
    # Before a group's subcommand too, and the command's own -n still wins.
    status = mkctl("-n", "team", "rollout", "status", "deployment/web")
    assert status.code == 0 and "successfully rolled out" in status.out
    assert names(mkctl, "-n", "team", "get", "deploy", "-n", "default", "-o", "name") == []
    missing = mkctl("get", "deploy", "web")
    assert missing.code == 1
    assert 'deployments.apps "web" not found' in missing.err


def test_kubeconfig_and_context_choose_the_config_and_its_namespace(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    assert mkctl("create", "namespace", "team").code == 0
    assert mkctl("apply", "-n", "team", "-f", "-", stdin=WEB).code == 0
    config = tmp_path / "other-config"
    config.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "mkctl", "cluster": {"server": ""}}],
                "users": [{"name": "mkctl", "user": {}}],
                "contexts": [
                    {"name": "plain", "context": {"cluster": "mkctl", "user": "mkctl"}},
                    {
                        "name": "team",
                        "context": {"cluster": "mkctl", "user": "mkctl", "namespace": "team"},
                    },
                ],
                "current-context": "plain",
            }
        )
    )
    kubeconfig = f"--kubeconfig={config}"
    assert names(mkctl, kubeconfig, "get", "deploy", "-o", "name") == []
    in_team = ["deployment.apps/web"]
    assert names(mkctl, kubeconfig, "--context", "team", "get", "deploy", "-o", "name") == in_team
    assert names(mkctl, "get", "deploy", "-o", "name", kubeconfig, "--context=team") == in_team
    # config commands read and write the chosen file
    assert mkctl(kubeconfig, "config", "use-context", "team").code == 0
    assert json.loads(config.read_text())["current-context"] == "team"
    assert names(mkctl, kubeconfig, "config", "current-context") == ["team"]
    assert names(mkctl, "config", "current-context") == ["mkctl"]

    unknown = mkctl(kubeconfig, "--context", "nope", "get", "pods")
    assert unknown.code == 1
    assert unknown.err == (
        "Error in configuration: context was not found for specified context: nope\n"
    )
    absent = mkctl("--kubeconfig", str(tmp_path / "absent"), "get", "pods")
    assert absent.code == 1
    assert absent.err == f"error: stat {tmp_path / 'absent'}: no such file or directory\n"
    logged = mkctl("-v=6", kubeconfig, "get", "pods")
    assert f"loader.go:408] Config loaded from file:  {config}" in logged.err


def test_global_flags_are_accepted_by_every_command(mkctl: Mkctl) -> None:
    for args in (
        ["cluster", "status", "-n", "x", "-v", "2", "--context", "mkctl"],
        ["version", "--client", "--namespace=x"],
        ["config", "view", "-v=1"],
        ["api-resources", "--v=3", "-n", "x"],
    ):
        result = mkctl(*args)
        assert result.code == 0, (args, result.err)
    bad = mkctl("-v", "loud", "get", "pods")
    assert bad.code == 1
    assert 'invalid argument "loud" for "-v, --v" flag' in bad.err


def test_version_embedded_client_and_server(mkctl: Mkctl) -> None:
    from minikubectl import __version__

    client_line = f"Client Version: v1.37.1+mkctl.{__version__}\n"
    assert mkctl("--version").out == client_line
    assert mkctl("version", "--client").out == client_line
    both = mkctl("version")
    assert both.code == 0 and both.out == client_line + "Server Version: v1.37.1\n"
    shown = json.loads(mkctl("version", "-o", "json").out)
    assert list(shown) == ["clientVersion", "serverVersion"]
    assert list(shown["clientVersion"]) == [
        "major",
        "minor",
        "gitVersion",
        "gitCommit",
        "gitTreeState",
        "buildDate",
        "goVersion",
        "compiler",
        "platform",
    ]
    assert shown["serverVersion"]["gitVersion"] == "v1.37.1"
    assert shown["serverVersion"]["minCompatibilityMinor"] == "36"
    client_only = mkctl("version", "--client", "-o", "yaml").out
    assert client_only.startswith('clientVersion:\n  buildDate: ""\n  compiler: cpython\n')
    assert client_only.endswith('  minor: "37"\n  platform: linux/amd64\n\n')
    wrong = mkctl("version", "-o", "wide")
    assert (wrong.code, wrong.err) == (1, "error: --output must be 'yaml' or 'json'\n")


@pytest.fixture
def daemon(mkctl: Mkctl) -> Iterator[None]:
    assert mkctl("cluster", "start").code == 0
    yield
    mkctl("cluster", "stop")


@pytest.mark.usefixtures("daemon")
def test_version_and_request_logging_with_a_daemon(mkctl: Mkctl) -> None:
    shown = json.loads(mkctl("version", "-o", "json").out)
    assert shown["serverVersion"]["gitCommit"] == "f78e722310e50bcaca9276be22276d9e91d91308"
    logged = mkctl("-v", "6", "get", "pods")
    assert logged.code == 0
    assert 'round_trippers.go:632] "Response" verb="GET" url="http://127.0.0.1:' in logged.err
    assert '/api/v1/namespaces/default/pods?limit=500" status="200 OK" milliseconds=' in logged.err
    quiet = mkctl("-v", "5", "get", "pods")
    assert "round_trippers" not in quiet.err
