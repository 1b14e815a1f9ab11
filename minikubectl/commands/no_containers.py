"""kubectl's verbs that need a running process, a metrics pipeline or a network path into
the cluster: `exec`, `port-forward`, `cp`, `attach`, `top`, `autoscale`, `proxy`, `debug`.

mkctl simulates its containers and runs none, so each of these says so in one line and
exits 1, instead of an unknown-command error that would leave a learner wondering whether
they mistyped. Any flags and arguments kubectl takes are accepted and ignored.
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from minikubectl.errors import CliError

# verb -> what the user would have needed, finishing "mkctl runs no containers, so ..."
REASONS = {
    "exec": "there is no process to run a command in",
    "attach": "there is no process to attach to",
    "cp": "there is no container file system to copy from or to",
    "port-forward": "nothing listens on a pod's ports to forward to",
    "proxy": "there is nothing behind the API server to proxy to (the daemon's API is at the "
    "address 'mkctl cluster-info' shows)",
    "debug": "there is no container to start a debugging shell in",
    "top": "no metrics-server measures CPU and memory (see requests and limits with "
    "'mkctl describe')",
    "autoscale": "no metrics-server measures the load a HorizontalPodAutoscaler scales on "
    "(scale by hand with 'mkctl scale')",
}
# What a tutorial types after the verb (the help's example of what is refused).
TYPED = {
    "exec": "-it nginx -- sh",
    "attach": "nginx",
    "cp": "nginx:/etc/nginx/nginx.conf nginx.conf",
    "port-forward": "deployment/nginx-deployment 8080:80",
    "proxy": "--port=8001",
    "debug": "nginx -it --image=busybox",
    "top": "pods",
    "autoscale": "deployment/nginx-deployment --min=2 --max=5 --cpu-percent=80",
}
# Whatever follows the verb is taken as kubectl would take it, then ignored.
SETTINGS = {"ignore_unknown_options": True, "allow_extra_args": True}


def refusal(verb: str) -> Callable[[typer.Context], None]:
    """The command that refuses `verb`, with a help text that says why."""

    def refuse(ctx: typer.Context) -> None:
        raise CliError(f"mkctl runs no containers, so {REASONS[verb]}: '{verb}' is not available")

    refuse.__doc__ = (
        f"Not available in mkctl: {REASONS[verb]}.\n\n"
        "mkctl simulates containers and runs none; this command says so and exits 1.\n\n"
        f"Examples:\n  mkctl {verb} {TYPED[verb]}\n"
    )
    refuse.context_settings = SETTINGS  # type: ignore[attr-defined]
    return refuse


exec_command = refusal("exec")
attach = refusal("attach")
cp = refusal("cp")
port_forward = refusal("port-forward")
proxy = refusal("proxy")
debug = refusal("debug")
top = refusal("top")
autoscale = refusal("autoscale")
