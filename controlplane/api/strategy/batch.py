"""The batch/v1 kinds (pkg/registry/batch/job/strategy.go, cronjob/strategy.go): both count
spec changes in metadata.generation; a Job's selector is made from its uid."""

from __future__ import annotations

from controlplane.api.jobs import generate_selector
from controlplane.api.strategy.apps import WorkloadStrategy
from controlplane.models.constants import Obj


class JobStrategy(WorkloadStrategy):
    """jobStrategy.PrepareForCreate: generateSelectorIfNeeded, from the uid the API server
    has already given the Job (rest.FillObjectMetaSystemFields runs before BeforeCreate)."""

    uid_before_prepare = True

    def prepare_for_create(self, obj: Obj) -> None:
        generate_selector(obj, obj["metadata"]["uid"])
