"""Pod lifecycle as tables of stages, after kwok (kubernetes-sigs/kwok, kustomize/stage/pod).

A stage says which pods or containers it applies to, when it is due (a delay after the moment
their current state began), what it changes and which events it records. A pass applies every
stage that is due, in order, at the current time, and reports when the next one will be due;
with zero delays a whole chain completes in one pass. Delays come from the `Plan` (the kubelet's
`Timing`, the pod's annotations); the back-off is Kubernetes'. The machinery is in stage.py,
the effects of probe results in probing.py.

Pod stages (docs/failure-simulation.md has the long version, with every event):

    admit    a bound pod without container statuses   at once        ContainerCreating, IPs
    kill     a pod marked for deletion                 at once        Killing
    remove   a pod marked for deletion, once killed    stop delay     pod object deleted
                                                       (at most its grace period)

Container stages, first match wins; due = the stage's delay after its state began:

    (at admission)       an image that does not parse  at once         InvalidImageName
    pull-failed          creating, pulling, bad image  pull            ErrImagePull
    pulled               creating, pulling             pull + start    Running (not ready)
    started              creating, image on the node   start           Running (not ready)
    image-pull-back-off  ErrImagePull                  sync            ImagePullBackOff
    pull-retried         ImagePullBackOff              back-off + pull ErrImagePull again
    startup-failed       Starting, startup-failure     startup probe   terminated, exit 137
    startup-passed       Starting                      startup probe   Running (started)
    ready                Running, readiness passes     ready           Ready
    readiness-failed     Running, outcome never-ready  ready           (Unhealthy event)
    readiness-lost       Ready, outcome never-ready    ready           Running, not ready
    liveness-failed      Running/Ready, liveness-fail. liveness probe  terminated, exit 137
    crashed              Running, outcome crashloop    crash           terminated, exit 1
    completed            Ready, outcome ok, in a pod   complete, from  terminated, Completed,
                         that does not restart         the start       exit 0
    restarted            terminated, first time        sync            Running, restarts + 1
    crash-loop-back-off  terminated, again             sync            CrashLoopBackOff
    back-off-expired     CrashLoopBackOff              back-off        Running, restarts + 1

The back-off after the n-th failure in a row is 10 s * 2^(n-1), at most 300 s. A first crash
restarts at once and later ones back off, as the kubelet's doBackOff does: the back-off entry
is created by the first restart. Pull back-off counts failed pulls (the kubelet's imageBackOff
keyed by pod and image). A container killed for a failed liveness or startup probe restarts
as a crashed one does; probe delays count from the container's start (probes.py). The
back-off is not reset after a long run (the kubelet resets it after 10 minutes without a
failure; a simulated crash loop never runs that long).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from controlplane.kubelet import messages, probing
from controlplane.kubelet.images import invalid_image_name
from controlplane.kubelet.pod_plan import Plan
from controlplane.kubelet.runs import Exit, Run, RunState, new_container_id
from controlplane.kubelet.stage import Context, Stage, run_stages
from controlplane.models.constants import EventType
from controlplane.models.simulation import Outcome

CRASH_EXIT_CODE = 1


@dataclass
class PodRun:
    """A pod as the pod stages see it: its containers once admitted, and its deletion."""

    runs: list[Run] | None
    deleting_since: float | None = None
    grace: float = 0.0
    killed: bool = False
    removed: bool = False


# --- pod stages ---------------------------------------------------------------------------


def _admit(pod: PodRun, ctx: Context) -> None:
    pod.runs = []
    for spec in ctx.pod["spec"]["containers"]:
        name, image = spec["name"], spec.get("image", "")
        policy = spec.get("imagePullPolicy", "IfNotPresent")
        run = Run(name, image, policy, RunState.CREATING, ctx.now)
        present = ctx.images.present(image)
        invalid = invalid_image_name(image)
        if invalid is not None:
            run.move(RunState.INVALID_IMAGE_NAME, ctx.now, invalid)
            ctx.emit(EventType.WARNING, messages.INSPECT_FAILED, invalid, name)
            ctx.emit(
                EventType.WARNING,
                messages.FAILED,
                messages.error(messages.INVALID_IMAGE_NAME),
                name,
            )
        elif policy == "Never" and not present:
            run.move(RunState.ERR_IMAGE_NEVER_PULL, ctx.now, messages.never_pull(image))
            warning = EventType.WARNING
            ctx.emit(warning, messages.ERR_IMAGE_NEVER_PULL, messages.never_pull(image), name)
            ctx.emit(warning, messages.FAILED, messages.error(messages.ERR_IMAGE_NEVER_PULL), name)
        else:
            outcome = ctx.plan.outcome(name)
            run.pulling = policy == "Always" or not present or outcome is Outcome.PULL_FAILURE
            if run.pulling:
                ctx.emit(EventType.NORMAL, messages.PULLING, messages.pulling(image), name)
        pod.runs.append(run)


def _kill(pod: PodRun, ctx: Context) -> None:
    """Stop the running containers; the stop delay runs from now (stored times are whole
    seconds, the moment of this pass is exact).

    Only running containers are stopped, each with a Killing event, as the kubelet's
    killContainersWithSyncResult walks runningPod.Containers (pkg/kubelet/kuberuntime/
    kuberuntime_container.go). With none running (ImagePullBackOff, CrashLoopBackOff, not yet
    started) there is no event to remember the kill by, so a later pass kills again: the stop
    delay must then run from the stored deletion, or each pass would put the removal off.
    """
    pod.killed = True
    running = [run for run in pod.runs or [] if run.running]
    if running:
        pod.deleting_since = ctx.now
    for run in running:
        ctx.emit(EventType.NORMAL, messages.KILLING, messages.killing(run.name), run.name)


def _deleting_since(pod: PodRun, ctx: Context) -> float:
    return pod.deleting_since or 0.0


def _removal_due(pod: PodRun, ctx: Context) -> float:
    return (pod.deleting_since or 0.0) + min(ctx.plan.stop, pod.grace)


def _mark_removed(pod: PodRun, ctx: Context) -> None:
    pod.removed = True


POD_STAGES: tuple[Stage[PodRun], ...] = (
    Stage(
        "admit",
        lambda p, c: p.runs is None and p.deleting_since is None,
        lambda p, c: c.now,
        _admit,
    ),
    Stage(
        "kill",
        lambda p, c: p.deleting_since is not None and not p.killed,
        _deleting_since,
        _kill,
    ),
    Stage(
        "remove",
        lambda p, c: p.deleting_since is not None and p.killed and not p.removed,
        _removal_due,
        _mark_removed,
    ),
)


# --- container stages ---------------------------------------------------------------------


def _create_and_start(run: Run, ctx: Context) -> None:
    """A container with a startup probe runs as not yet started until the probe passes."""
    run.container_id = new_container_id(ctx.pod["metadata"].get("uid", ""), run.name, run.restarts)
    probed = run.name in ctx.plan.startup
    run.move(RunState.STARTING if probed else RunState.RUNNING, ctx.now)
    run.started_at = ctx.now
    ctx.emit(EventType.NORMAL, messages.CREATED, messages.created(run.name), run.name)
    ctx.emit(EventType.NORMAL, messages.STARTED, messages.started(run.name), run.name)


def _pull_seconds(run: Run, ctx: Context) -> float:
    return ctx.plan.pull_after(run.name, cached=ctx.images.present(run.image))


def _pull_succeeded(run: Run, ctx: Context) -> None:
    took = _pull_seconds(run, ctx)
    size = ctx.plan.size_of(run.name)
    ctx.images.add(run.image, size)
    ctx.emit(EventType.NORMAL, messages.PULLED, messages.pulled(run.image, took, size), run.name)


def _pulled(run: Run, ctx: Context) -> None:
    _pull_succeeded(run, ctx)
    _create_and_start(run, ctx)


def _started(run: Run, ctx: Context) -> None:
    ctx.emit(EventType.NORMAL, messages.PULLED, messages.already_present(run.image), run.name)
    _create_and_start(run, ctx)


def _pull_failed(run: Run, ctx: Context) -> None:
    run.pull_failures += 1
    run.move(RunState.ERR_IMAGE_PULL, ctx.now, messages.not_found(run.image))
    ctx.emit(EventType.WARNING, messages.FAILED, messages.failed_to_pull(run.image), run.name)
    ctx.emit(EventType.WARNING, messages.FAILED, messages.error(messages.ERR_IMAGE_PULL), run.name)


def _image_pull_back_off(run: Run, ctx: Context) -> None:
    run.move(RunState.IMAGE_PULL_BACK_OFF, run.since, messages.back_off_pulling(run.image))
    ctx.emit(EventType.NORMAL, messages.BACK_OFF, messages.back_off_pulling(run.image), run.name)
    ctx.emit(
        EventType.WARNING, messages.FAILED, messages.error(messages.IMAGE_PULL_BACK_OFF), run.name
    )


def _pull_retried(run: Run, ctx: Context) -> None:
    ctx.emit(EventType.NORMAL, messages.PULLING, messages.pulling(run.image), run.name)
    if ctx.plan.outcome(run.name) is Outcome.PULL_FAILURE:
        _pull_failed(run, ctx)
    else:  # the pod's outcome annotation was changed: the registry "has" the image now
        _pulled(run, ctx)


def _ensure_image(run: Run, ctx: Context) -> None:
    """A restart looks for the image again: IfNotPresent finds it; Always pulls it again."""
    if run.pull_policy == "Always" or not ctx.images.present(run.image):
        ctx.emit(EventType.NORMAL, messages.PULLING, messages.pulling(run.image), run.name)
        _pull_succeeded(run, ctx)
    else:
        ctx.emit(EventType.NORMAL, messages.PULLED, messages.already_present(run.image), run.name)


def _crashed(run: Run, ctx: Context) -> None:
    run.exit = Exit(CRASH_EXIT_CODE, "Error", run.started_at, ctx.now, run.container_id)
    run.move(RunState.EXITED, ctx.now)


def _completed(run: Run, ctx: Context) -> None:
    """The container's process exits 0: terminated, reason Completed (a Job's pod)."""
    run.exit = Exit(0, "Completed", run.started_at, ctx.now, run.container_id)
    run.move(RunState.EXITED, ctx.now)


def _runs_to_completion(run: Run, ctx: Context) -> bool:
    """A healthy container of a pod that does not restart its containers (OnFailure, Never)
    runs its command to the end: the convention that lets a Job's pods finish."""
    policy = ctx.pod["spec"].get("restartPolicy", "Always")
    return run.state is RunState.READY and policy != "Always" and _outcome(run, ctx) is Outcome.OK


def _restart(run: Run, ctx: Context) -> None:
    if run.exit is not None:
        run.last_exit, run.exit = run.exit, None
    run.restarts += 1
    _ensure_image(run, ctx)
    _create_and_start(run, ctx)


def _crash_loop_back_off(run: Run, ctx: Context) -> None:
    exit_ = run.exit
    assert exit_ is not None
    run.last_exit, run.exit = exit_, None
    wait = ctx.plan.backoff(run.restarts)
    message = messages.crash_loop_back_off(wait, run.name, ctx.pod)
    run.move(RunState.CRASH_LOOP_BACK_OFF, exit_.finished_at, message)
    ctx.emit(
        EventType.WARNING,
        messages.BACK_OFF,
        messages.back_off_restarting(run.name, ctx.pod),
        run.name,
    )


def _restarts_after(run: Run, ctx: Context) -> bool:
    policy = ctx.pod["spec"].get("restartPolicy", "Always")
    code = run.exit.exit_code if run.exit is not None else 0
    return policy == "Always" or (policy == "OnFailure" and code != 0)


def _is(state: RunState) -> Callable[[Run, Context], bool]:
    return lambda run, ctx: run.state is state


def _outcome(run: Run, ctx: Context) -> Outcome:
    return ctx.plan.outcome(run.name)


def _after(delay: Callable[[Plan, Run], float]) -> Callable[[Run, Context], float]:
    return lambda run, ctx: run.since + delay(ctx.plan, run)


def _after_start(delay: Callable[[Plan, Run], float]) -> Callable[[Run, Context], float]:
    return lambda run, ctx: run.started_at + delay(ctx.plan, run)


CREATING, RUNNING, EXITED = RunState.CREATING, RunState.RUNNING, RunState.EXITED
STARTING, READY = RunState.STARTING, RunState.READY

CONTAINER_STAGES: tuple[Stage[Run], ...] = (
    Stage(
        "pull-failed",
        lambda r, c: r.state is CREATING and r.pulling and _outcome(r, c) is Outcome.PULL_FAILURE,
        _after(lambda p, r: p.pull_after(r.name)),
        _pull_failed,
    ),
    Stage(
        "pulled",
        lambda r, c: r.state is CREATING and r.pulling,
        lambda r, c: r.since + _pull_seconds(r, c) + c.plan.start,
        _pulled,
    ),
    Stage("started", _is(CREATING), _after(lambda p, r: p.start), _started),
    Stage(
        "image-pull-back-off",
        _is(RunState.ERR_IMAGE_PULL),
        _after(lambda p, r: p.sync),
        _image_pull_back_off,
    ),
    Stage(
        "pull-retried",
        _is(RunState.IMAGE_PULL_BACK_OFF),
        lambda r, c: r.since + c.plan.backoff(r.pull_failures) + _pull_seconds(r, c),
        _pull_retried,
    ),
    Stage(
        "startup-failed",
        lambda r, c: r.state is STARTING and _outcome(r, c) is Outcome.STARTUP_FAILURE,
        _after_start(lambda p, r: p.startup_after(r.name)),
        probing.killed_unhealthy("startup"),
    ),
    Stage(
        "startup-passed",
        _is(STARTING),
        _after_start(lambda p, r: p.startup_after(r.name)),
        probing.startup_passed,
    ),
    Stage(
        "ready",
        lambda r, c: r.state is RUNNING and c.plan.becomes_ready(r.name),
        _after_start(lambda p, r: p.ready_after(r.name)),
        probing.ready,
    ),
    Stage(
        "readiness-failed",
        lambda r, c: (
            r.state is RUNNING and _outcome(r, c) is Outcome.NEVER_READY and not r.probe_failed
        ),
        _after_start(lambda p, r: p.ready_after(r.name)),
        probing.readiness_failed,
    ),
    Stage(
        "readiness-lost",
        lambda r, c: r.state is READY and _outcome(r, c) is Outcome.NEVER_READY,
        _after_start(lambda p, r: p.ready_after(r.name)),
        probing.readiness_lost,
    ),
    Stage(
        "liveness-failed",
        lambda r, c: (
            r.state in (RUNNING, READY)
            and _outcome(r, c) is Outcome.LIVENESS_FAILURE
            and r.name in c.plan.killed
        ),
        _after_start(lambda p, r: p.killed[r.name]),
        probing.killed_unhealthy("liveness"),
    ),
    Stage(
        "crashed",
        lambda r, c: r.state is RUNNING and _outcome(r, c) is Outcome.CRASHLOOP,
        _after(lambda p, r: p.crash),
        _crashed,
    ),
    Stage(
        "completed",
        _runs_to_completion,
        lambda r, c: r.started_at + c.plan.complete,
        _completed,
    ),
    Stage(
        "restarted",
        lambda r, c: r.state is EXITED and r.restarts == 0 and _restarts_after(r, c),
        _after(lambda p, r: p.sync),
        _restart,
    ),
    Stage(
        "crash-loop-back-off",
        lambda r, c: r.state is EXITED and _restarts_after(r, c),
        _after(lambda p, r: p.sync),
        _crash_loop_back_off,
    ),
    Stage(
        "back-off-expired",
        _is(RunState.CRASH_LOOP_BACK_OFF),
        _after(lambda p, r: p.backoff(r.restarts)),
        _restart,
    ),
)


def advance(pod: PodRun, ctx: Context) -> float | None:
    """Move a pod and its containers through every due stage; when is the next one due?"""
    due = run_stages(pod, POD_STAGES, ctx)
    if pod.deleting_since is not None or pod.runs is None:
        return due
    dues = [run_stages(run, CONTAINER_STAGES, ctx) for run in pod.runs]
    return min((d for d in dues if d is not None), default=None)
