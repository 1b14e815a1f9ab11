"""Shell completion with the real mkctl: the scripts, and bash asking for candidates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Mkctl, mkctl_command


@pytest.mark.parametrize(
    "shell,line",
    [
        ("bash", "complete -o nosort -F _mkctl_completion mkctl"),
        ("zsh", "compdef _mkctl_completion mkctl"),
        ("fish", "complete --no-files --command mkctl"),
    ],
)
def test_completion_prints_a_script_per_shell(mkctl: Mkctl, shell: str, line: str) -> None:
    result = mkctl("completion", shell)
    assert result.code == 0 and line in result.out


def test_completion_needs_a_known_shell(mkctl: Mkctl) -> None:
    assert mkctl("completion").err == (
        "error: Shell not specified.\nSee 'mkctl completion -h' for help and examples\n"
    )
    assert mkctl("completion", "tcsh").err == (
        "error: Unsupported shell type \"tcsh\".\nSee 'mkctl completion -h' for help and examples\n"
    )


def test_bash_completes_commands_types_and_object_names(mkctl: Mkctl, tmp_path: Path) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    script = tmp_path / "mkctl.bash"
    script.write_text(mkctl("completion", "bash").out)
    bin_dir = Path(mkctl_command()[0]).parent

    def candidates(*words: str) -> list[str]:
        """What bash offers after `words` (the last one is the word being completed)."""
        program = (
            f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
            f"COMP_CWORD={len(words) - 1}; _mkctl_completion mkctl; "
            'printf "%s\\n" "${COMPREPLY[@]}"'
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")},
            "MKCTL_HOME": str(tmp_path / "home"),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        }
        done = subprocess.run(
            ["bash", "-c", program], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert candidates("mkctl", "tr") == ["tree", "traffic"]
    assert {"deployments", "deploy", "pods", "po"} <= set(candidates("mkctl", "get", ""))
    assert candidates("mkctl", "get", "deploy", "") == ["nginx-deployment"]
    assert candidates("mkctl", "rollout", "undo", "deployment/ngi") == [
        "deployment/nginx-deployment"
    ]
    pods = candidates("mkctl", "delete", "pod", "nginx-")
    assert len(pods) == 3 and all(p.startswith("nginx-deployment-") for p in pods)
    assert "kube-system" in candidates("mkctl", "get", "pods", "-n", "")
