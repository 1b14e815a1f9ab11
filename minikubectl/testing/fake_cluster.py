"""A whole Kubernetes control plane in process, on a clock that only the test moves.

`FakeCluster` is what `mkctl` runs in embedded mode (the same API verbs, controllers,
scheduler and fake kubelet) over an in-memory store, with a `FakeClock` and seeded ids. Every
write is followed by a settle: the controllers run until nothing is left to do at the current
simulated time, so a test reads the state a real cluster would reach, synchronously and
without sleeping. Time passes only through `advance()` (or `wait_for`, which advances it):
crash-loop back-off, rollout deadlines and, with `realistic=True`, the kubelet's image pulls
and container starts all wait for it.

Writes go through the same code as `mkctl apply`, so a manifest kubectl would refuse is
refused here with kubectl's message (a `ClusterError`).
"""

from __future__ import annotations

import builtins
import copy
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, overload

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.bootstrap import DEFAULT_NODES, bootstrap
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster
from controlplane.ids import RandomIds, SeededIds
from controlplane.kubelet.timing import Timing
from controlplane.store import Store
from minikubectl.client import Client
from minikubectl.errors import CliError, render_api_error
from minikubectl.manifest_writes import WriteFailed, apply
from minikubectl.manifests import Manifest, parse_manifests, read_manifests
from minikubectl.resources import resolve_type, single_target
from minikubectl.waits import parse_for

T = TypeVar("T")
Obj = dict[str, Any]
# What `apply` takes: one object, several, YAML or JSON text, or a file or folder of them.
Manifests = Mapping[str, Any] | Iterable[Mapping[str, Any]] | str | os.PathLike[str]

# Where the fake clock starts: 2023-11-14T22:13:20Z, as the control plane's own tests.
START = 1_700_000_000.0


class ClusterError(Exception):
    """A request the cluster (or kubectl, before sending it) refused.

    `message` is what kubectl would print; `reason` and `code` are the Kubernetes Status's
    (`NotFound`, 404) when the API refused it, and empty and 0 when kubectl would have refused
    it first (a malformed manifest, an unknown resource type)."""

    def __init__(self, message: str, reason: str = "", code: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.code = code


class WaitTimeout(AssertionError):
    """`wait_for` saw its simulated timeout pass; the message says what it waited for."""


@contextmanager
def _as_cluster_errors() -> Iterator[None]:
    try:
        yield
    except ApiError as exc:
        raise ClusterError(render_api_error(exc), exc.reason, exc.code) from None
    except CliError as exc:
        raise ClusterError(exc.render()) from None
    except WriteFailed as exc:
        raise ClusterError("\n".join(exc.messages)) from None


class FakeCluster:
    """A fake Kubernetes cluster in process: nodes, controllers, scheduler and kubelet.

    `nodes` Ready nodes (three, as `mkctl` starts with); `namespace` is where namespaced
    requests go when they name none; `seed` makes uids and generated names (pod names) the
    same on every run (None: random); `realistic=True` gives the kubelet the daemon's stage
    timing (about a second to pull an image, a second to start), so pods become Running only
    as the clock advances; by default they are Running as soon as they are scheduled.
    """

    def __init__(
        self,
        *,
        nodes: int = DEFAULT_NODES,
        namespace: str = "default",
        seed: int | None = 0,
        realistic: bool = False,
    ) -> None:
        self.clock = FakeClock(START)
        api = Api(Store("sqlite://"), self.clock, RandomIds() if seed is None else SeededIds(seed))
        bootstrap(api, nodes)
        # Custom kinds are served process-wide: a cluster made earlier in this process (a
        # previous test's) must not lend this one its CRDs' kinds.
        api.reload_custom_kinds()
        timing = Timing.realistic() if realistic else Timing.instant()
        # The CLI's door, fixed to this API: no daemon, no MKCTL_HOME, no config file read.
        self._client = Client(namespace)
        self._client.namespace_explicit = False  # a manifest's own namespace wins, as in -f
        self._client.served = None
        self._client.local = api
        self._client.cluster = Cluster(api, timing=timing)
        self.namespace = namespace

    def __enter__(self) -> FakeCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the in-memory store."""
        self._client.local.store.dispose()

    # --- time ---------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The simulated time, in seconds since the epoch."""
        return self.clock.now()

    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass, then settle what became due."""
        if seconds < 0:
            raise ValueError(f"cannot go back in time ({seconds} s)")
        self.clock.advance(seconds)
        self.settle()

    def settle(self) -> None:
        """Run the controllers until nothing is left to do at the current time (every write
        here already does)."""
        self._client.cluster.settle()

    # --- requests -------------------------------------------------------------------------

    def apply(self, manifests: Manifests) -> list[Obj]:
        """`kubectl apply -f`: create each object, or three-way merge it into the live one;
        all or nothing. Takes a dict, a list of dicts, YAML or JSON text (a `str`), or a
        file or folder (a `Path`). Returns the objects as written, then settles."""
        with _as_cluster_errors():
            outcomes = apply(self._client, _manifests(manifests))
        self.settle()
        return [copy.deepcopy(o.obj) for o in outcomes if o.obj is not None]

    def get(self, kind: str, name: str, namespace: str | None = None) -> Obj:
        """One object; `kind` as kubectl takes it (`deployment`, `deploy`, `Deployment`,
        `deployments.apps`). A missing one raises `ClusterError` with reason `NotFound`."""
        with _as_cluster_errors():
            info = resolve_type(kind)
            obj = self._client.api.get(info.kind, self._namespace(info, namespace), name)
        return copy.deepcopy(obj)

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        all_namespaces: bool = False,
        selector: str | None = None,
    ) -> list[Obj]:
        """Objects of a kind in a namespace (or all of them), sorted by namespace and name;
        `selector` is a label selector as `-l` takes it (`app=web,tier!=db`)."""
        with _as_cluster_errors():
            info = resolve_type(kind)
            found = self._client.api.list(
                info.kind,
                None if all_namespaces else self._namespace(info, namespace),
                label_selector=selector,
            )
        return copy.deepcopy(found)

    def patch(
        self,
        kind: str,
        name: str,
        patch: Mapping[str, Any] | builtins.list[Any],
        namespace: str | None = None,
        *,
        type: str = "strategic",
    ) -> Obj:
        """`kubectl patch TYPE NAME -p PATCH --type=strategic|merge|json`; returns the object
        as written, then settles."""
        with _as_cluster_errors():
            info = resolve_type(kind)
            if type not in ("strategic", "merge", "json"):
                raise CliError(f'--type must be one of [json merge strategic], not "{type}"')
            patched = self._client.api.patch(
                info.kind,
                self._namespace(info, namespace),
                name,
                copy.deepcopy(patch),
                type,
                field_manager="kubectl-patch",
            )
        self.settle()
        return copy.deepcopy(patched)

    def delete(
        self, kind: str, name: str, namespace: str | None = None, *, cascade: str = "background"
    ) -> None:
        """`kubectl delete TYPE NAME --cascade=background|foreground|orphan`, then settles.
        A pod's grace period passes with the clock (`advance`), as on a real cluster."""
        with _as_cluster_errors():
            info = resolve_type(kind)
            self._client.api.delete(
                info.kind,
                self._namespace(info, namespace),
                name,
                propagation=cascade.capitalize(),
            )
        self.settle()

    # --- waiting --------------------------------------------------------------------------

    @overload
    def wait_for(self, condition: Callable[[], T], /, *, timeout: float = ...) -> T: ...

    @overload
    def wait_for(
        self,
        target: str,
        condition: str,
        /,
        *,
        timeout: float = ...,
        namespace: str | None = ...,
    ) -> Obj | None: ...

    def wait_for(
        self,
        what: Callable[[], T] | str,
        condition: str | None = None,
        /,
        *,
        timeout: float = 300.0,
        namespace: str | None = None,
    ) -> T | Obj | None:
        """Advance the clock a second at a time until a condition holds, at most `timeout`
        simulated seconds (then `WaitTimeout`).

        Either a callable, whose first true result is returned:
        `cluster.wait_for(lambda: cluster.get("deploy", "web")["status"].get("readyReplicas"))`,
        or an object and a condition as `kubectl wait TYPE/NAME --for=CONDITION` takes them
        (`condition=Available`, `jsonpath={.status.readyReplicas}=3`, `create`, `delete`),
        which returns the object (None once deleted)."""
        if callable(what):
            check: Callable[[], Any] = what
            description = "the condition"
        else:
            check, description = self._kubectl_wait(what, condition or "", namespace)
        self.settle()
        waited = 0.0
        while not (result := check()):
            if waited >= timeout:
                raise WaitTimeout(
                    f"timed out waiting for {description} after {timeout:g} simulated seconds"
                )
            step = min(1.0, timeout - waited)
            self.advance(step)
            waited += step
        if callable(what):
            return result  # type: ignore[no-any-return]  # check is `what`, so this is a T
        found: Obj | None = result[1]
        return found

    def _kubectl_wait(
        self, target: str, condition: str, namespace: str | None
    ) -> tuple[Callable[[], tuple[bool, Obj | None] | None], str]:
        with _as_cluster_errors():
            info, name = single_target([target])
            (wanted,) = parse_for([condition])
        where = self._namespace(info, namespace)

        def check() -> tuple[bool, Obj | None] | None:
            try:
                obj: Obj | None = self._client.api.get(info.kind, where, name)
            except ApiError as exc:
                if exc.reason != "NotFound":
                    raise
                obj = None
            return (True, copy.deepcopy(obj)) if wanted.met(obj) else None

        return check, f"{condition} on {info.plural}/{name}"

    def _namespace(self, info: Any, namespace: str | None) -> str:
        return (namespace or self.namespace) if info.namespaced else ""


def _manifests(given: Manifests) -> list[Manifest]:
    if isinstance(given, str):
        return parse_manifests(given, "<text>")
    if isinstance(given, os.PathLike):
        return read_manifests([str(Path(given))])
    objects = [given] if isinstance(given, Mapping) else list(given)
    for index, obj in enumerate(objects, 1):
        if not isinstance(obj, Mapping):
            raise TypeError(f"manifest {index} is a {type(obj).__name__}, not a mapping")
    # As text, so that a dict is checked as strictly as the same object in a file.
    return parse_manifests("\n---\n".join(json.dumps(obj) for obj in objects), "<objects>")
