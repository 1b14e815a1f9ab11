"""Each kind's strategy: the rules the generic verbs apply to it (upstream's
pkg/registry/<group>/<resource>/strategy.go).

A kind with rules of its own registers its strategy in `STRATEGIES`; a custom kind gets the
custom resource strategy of its CRD (`api/crd/strategy.py`); every other kind the generic one.
"""

from __future__ import annotations

from controlplane.api.crd.served import custom
from controlplane.api.crd.strategy import (
    CustomResourceDefinitionStrategy,
    CustomResourceStrategy,
)
from controlplane.api.strategy.apps import (
    DaemonSetStrategy,
    DeploymentStrategy,
    WorkloadStrategy,
)
from controlplane.api.strategy.batch import JobStrategy
from controlplane.api.strategy.coordination import LeaseStrategy
from controlplane.api.strategy.generic import Strategy
from controlplane.api.strategy.namespace import NamespaceStrategy, NodeStrategy
from controlplane.api.strategy.pod import PodStrategy
from controlplane.api.strategy.services import ServiceStrategy
from controlplane.models.constants import Kind

STRATEGIES: dict[str, Strategy] = {
    Kind.POD: PodStrategy(),
    Kind.NAMESPACE: NamespaceStrategy(),
    Kind.NODE: NodeStrategy(),
    Kind.DEPLOYMENT: DeploymentStrategy(),
    Kind.REPLICA_SET: WorkloadStrategy(),
    Kind.STATEFUL_SET: WorkloadStrategy(),
    Kind.DAEMON_SET: DaemonSetStrategy(),
    Kind.JOB: JobStrategy(),
    Kind.CRON_JOB: WorkloadStrategy(),
    Kind.SERVICE: ServiceStrategy(),
    Kind.CUSTOM_RESOURCE_DEFINITION: CustomResourceDefinitionStrategy(),
    Kind.LEASE: LeaseStrategy(),
}
_GENERIC = Strategy()


def strategy_for(kind: str) -> Strategy:
    found = STRATEGIES.get(kind)
    if found is not None:
        return found
    resource = custom(kind)
    return CustomResourceStrategy(resource) if resource is not None else _GENERIC
