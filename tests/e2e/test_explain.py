"""`mkctl explain` with the real mkctl: kubectl's text, offline, and kubectl's errors."""

from __future__ import annotations

from tests.e2e.conftest import REPO, Mkctl

GOLDEN = REPO / "tests" / "unit" / "printers" / "explain_golden"


def test_explain_looks_up_fields_offline(mkctl: Mkctl) -> None:
    strategy = mkctl("explain", "deployment.spec.strategy")
    assert (strategy.code, strategy.out) == (
        0,
        (GOLDEN / "deployment.spec.strategy.txt").read_text(),
    )
    short = mkctl("explain", "deploy.spec.strategy")
    assert short.out == strategy.out
    grouped = mkctl("explain", "deployments.apps.spec.strategy")
    assert grouped.out == strategy.out
    recursive = mkctl("explain", "pods.spec", "--recursive")
    assert "  containers\t<[]Container> -required-\n    args\t<[]string>\n" in recursive.out


def test_explain_errors_are_kubectls(mkctl: Mkctl) -> None:
    missing = mkctl("explain", "deployment.spec.nope")
    assert (missing.code, missing.err) == (1, 'error: field "nope" does not exist\n')
    assert missing.out == "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
    unknown = mkctl("explain", "foos")
    assert (unknown.code, unknown.err) == (1, 'the server doesn\'t have a resource type "foos"\n')
    nothing = mkctl("explain")
    assert nothing.err.startswith("error: You must specify the type of resource to explain.")
