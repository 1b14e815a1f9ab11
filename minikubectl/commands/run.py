"""`mkctl run NAME --image=IMAGE`: one Pod, as kubectl's run generator builds it.

Ported from staging/src/k8s.io/kubectl/pkg/cmd/run/run.go (RunOptions.Validate,
getRestartPolicy, verifyImagePullPolicy) and pkg/generate/versioned/run.go (BasicPod): labels
`run=NAME` unless `--labels` is given, one container named NAME, `dnsPolicy: ClusterFirst`,
the restart policy, then the arguments after NAME as `args` (`command` with `--command`).
mkctl runs no containers, so the attaching flags (`-i`, `-t`, `--attach`, `--rm`) are
refused with a sentence that says so.
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.models.constants import Obj
from controlplane.models.identifiers import env_var_name_errors
from minikubectl.commands import generated
from minikubectl.commands.options import Namespace
from minikubectl.errors import CliError

RESTART_POLICIES = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
NO_ATTACH = (
    "mkctl runs no containers, so there is nothing to attach to: run the pod without "
    "-i/--stdin, -t/--tty, --attach and --rm"
)


def parse_labels(spec: str) -> dict[str, str]:
    """generate.ParseLabels: `k=v,k2=v2`, each part exactly one `=`; a repeated key wins."""
    labels = {}
    for part in spec.split(","):
        pieces = part.split("=")
        if len(pieces) != 2 or not pieces[0]:
            raise CliError(f"unexpected label spec: {part}")
        labels[pieces[0]] = pieces[1]
    return labels


def parse_env(envs: list[str]) -> list[Obj]:
    """parseEnvs: `NAME=value`, the name a valid environment variable name."""
    parsed = []
    for env in envs:
        name, equals, value = env.partition("=")
        if not equals or not name or env_var_name_errors(name):
            raise CliError(f"invalid env: {env}")
        parsed.append({"name": name, "value": value})
    return parsed


def parse_annotations(annotations: list[str]) -> dict[str, str]:
    result = {}
    for annotation in annotations:
        key, equals, value = annotation.partition("=")
        if not equals or not key:
            raise CliError(f"invalid annotations format: {annotation}")
        result[key] = value
    return result


def pod_object(
    name: str,
    image: str,
    *,
    labels: dict[str, str],
    annotations: dict[str, str],
    restart: str,
    arguments: list[str],
    command: bool,
    env: list[Obj],
    port: str,
    pull_policy: str,
    privileged: bool,
) -> Obj:
    """BasicPod.Generate, in the Go structs' field order (as `-o json` prints it)."""
    container: Obj = {"name": name, "image": image}
    if arguments:
        container["command" if command else "args"] = list(arguments)
    if port:
        container["ports"] = [{"containerPort": int(port)}]
    if env:
        container["env"] = env
    container["resources"] = {}
    if pull_policy:
        container["imagePullPolicy"] = pull_policy
    if privileged:
        container["securityContext"] = {"privileged": True}
    meta: Obj = {"name": name, "labels": labels}
    if annotations:
        meta["annotations"] = annotations
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": meta,
        "spec": {"containers": [container], "restartPolicy": restart, "dnsPolicy": "ClusterFirst"},
    }


def run(
    args: Annotated[
        list[str] | None,
        typer.Argument(help="NAME, then -- ARGS (or COMMAND ARGS with --command)."),
    ] = None,
    image: Annotated[str, typer.Option("--image", help="The image for the container.")] = "",
    labels: Annotated[
        str, typer.Option("--labels", "-l", help="Comma separated labels (default run=NAME).")
    ] = "",
    annotations: Annotated[
        list[str] | None, typer.Option("--annotations", help="Annotations: key=value.")
    ] = None,
    env: Annotated[
        list[str] | None, typer.Option("--env", help="Environment variables: NAME=value.")
    ] = None,
    port: Annotated[str, typer.Option("--port", help="The port the container exposes.")] = "",
    restart: Annotated[
        str, typer.Option("--restart", help="The restart policy: Always, OnFailure or Never.")
    ] = "",
    command: Annotated[
        bool, typer.Option("--command", help="Use the arguments as the command, not args.")
    ] = False,
    image_pull_policy: Annotated[
        str, typer.Option("--image-pull-policy", help="Always, IfNotPresent or Never.")
    ] = "",
    privileged: Annotated[
        bool, typer.Option("--privileged", help="Run the container in privileged mode.")
    ] = False,
    stdin: Annotated[bool, typer.Option("--stdin", "-i", help="Not supported by mkctl.")] = False,
    tty: Annotated[bool, typer.Option("--tty", "-t", help="Not supported by mkctl.")] = False,
    attach: Annotated[bool, typer.Option("--attach", help="Not supported by mkctl.")] = False,
    rm: Annotated[bool, typer.Option("--rm", help="Not supported by mkctl.")] = False,
    namespace: Namespace = None,
    dry_run: Annotated[
        str,
        typer.Option("--dry-run", help='"none", "server", or "client": only show the pod.'),
    ] = "none",
    output: Annotated[
        str, typer.Option("--output", "-o", help="Output format: yaml, json or name.")
    ] = "",
) -> None:
    """Create and run a particular image in a pod.

    Examples:
      mkctl run nginx --image=nginx
      mkctl run hazelcast --image=hazelcast/hazelcast --port=5701 --env="DNS_DOMAIN=cluster"
      mkctl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"
      mkctl run nginx --image=nginx --dry-run=client -o yaml > pod.yaml
      mkctl run sleeper --image=busybox --restart=Never --command -- sleep 3600
    """
    from controlplane.kubelet.images import is_image_reference

    if not args:
        raise CliError("NAME is required for run")
    name, arguments = args[0], args[1:]
    output = generated.dry_run_and_output(dry_run, output)
    if not image:
        raise CliError('required flag(s) "image" not set')
    if not is_image_reference(image):
        raise CliError(f'invalid image name "{image}": invalid reference format')
    if tty and not stdin:
        raise CliError("-i/--stdin is required for containers with -t/--tty=true")
    if restart and restart not in RESTART_POLICIES:
        raise CliError(
            f"invalid restart policy: {restart}, valid values are: {', '.join(RESTART_POLICIES)}"
        )
    if stdin or attach or rm:
        raise CliError(NO_ATTACH)
    if image_pull_policy and image_pull_policy not in PULL_POLICIES:
        raise CliError(
            f"invalid image pull policy: {image_pull_policy}, valid values are: "
            f"{', '.join(PULL_POLICIES)}"
        )
    if port and not port.lstrip("-").isdigit():
        raise CliError("--port must be a number")
    obj = pod_object(
        name,
        image,
        labels=parse_labels(labels) if labels else {"run": name},
        annotations=parse_annotations(annotations or []),
        restart=restart or "Always",
        arguments=arguments,
        command=command,
        env=parse_env(env or []),
        port=port,
        pull_policy=image_pull_policy,
        privileged=privileged,
    )
    generated.create_generated(obj, "pod", dry_run, output, namespace, field_manager="kubectl-run")
