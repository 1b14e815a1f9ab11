"""`mkctl traffic`: mkctl's own command (kubectl has none like it) that sends simulated
requests to a Service and tallies which pods and images answer, so that a rollout's effect
on a Service's clients can be watched: zero failures during a RollingUpdate, a gap with
`Recreate`, old pods still serving while a rollout is stuck."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from minikubectl import daemon_control
from minikubectl.client import Client
from minikubectl.commands.options import Namespace, err, out
from minikubectl.errors import CliError

_SERVICE_TYPES = ("svc", "service", "services")


def _service_name(target: str) -> str:
    kind, slash, name = target.partition("/")
    if not slash:
        return target
    if kind.partition(".")[0] not in _SERVICE_TYPES or not name:
        raise CliError(f"mkctl traffic sends requests to a Service, not to {target!r}")
    return name


def traffic(
    service: Annotated[str, typer.Argument(help="The Service: NAME, svc/NAME or service/NAME.")],
    namespace: Namespace = None,
    rate: Annotated[
        float, typer.Option("--rate", help="Requests per second.", min=0.1, max=1000)
    ] = 10.0,
    count: Annotated[int, typer.Option("--count", help="How many requests to send.", min=1)] = 100,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the final tally.")
    ] = False,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            help="Without a daemon, mkctl traffic runs the controllers itself while it runs: "
            "how fast their simulated waits pass (as `mkctl cluster start --speed`).",
        ),
    ] = 1.0,
) -> None:
    """Send simulated requests to a Service and tally who answers.

    This is mkctl's own command, not a kubectl one: no request leaves this machine. Each
    request is routed as kube-proxy routes it, to the next of the Service's endpoints that
    is ready at that moment (its EndpointSlices), and prints the pod and image that
    answered, with a running tally per image and of failures. A Service with no ready
    endpoint refuses the connection. Run it while a Deployment rolls out, in another
    terminal or in the background, to see whether its clients notice.

    Examples:
      mkctl traffic svc/web --rate 20 --count 200

      # in the background, during a rollout, then only the tally at the end
      mkctl traffic web --count 200 --quiet &
      mkctl set image deploy/web nginx=nginx:1.26
    """
    from controlplane.api.errors import ApiError
    from minikubectl import traffic as sim

    name = _service_name(service)
    client = Client(namespace)
    info = client.info("Service")
    selector = f"kubernetes.io/service-name={name}"
    svc = client.get(info, name)
    ns = client.namespace_for(info)
    out(
        f"Sending {count} simulated requests to service/{name} ({sim.service_address(svc)}), "
        f"{rate:g} per second\n"
    )
    balancer, tally = sim.RoundRobin(), sim.Tally()
    with daemon_control.controllers_running(client, speed):
        start = time.monotonic()
        for number in range(1, count + 1):
            time.sleep(max(0.0, start + (number - 1) / rate - time.monotonic()))
            try:
                svc = client.api.get("Service", ns, name)
            except ApiError:
                answer = sim.refused(number, svc)
            else:
                slices = client.api.list("EndpointSlice", ns, label_selector=selector)
                endpoint = balancer.pick(sim.ready_endpoints(svc, slices))
                pod = client.fetch(client.info("Pod"), ns, endpoint.pod) if endpoint else None
                answer = sim.answer(number, svc, endpoint, pod)
            tally.add(answer)
            if not quiet:
                out(sim.request_line(answer, tally) + "\n")
    answered = count - tally.failed
    out(f"\nservice/{name}: {count} requests, {answered} answered, {tally.failed} failed\n")
    width = max(len(image) for image, _ in tally.summary())
    for image, n in tally.summary():
        out(f"  {image:<{width}}  {n}\n")
    if tally.failed:
        err(f"{tally.failed} of {count} requests failed")
