"""The Job controller: pods run to completion, counted, retried with back-off."""

from controlplane.controllers.job.controller import JobController
from controlplane.controllers.job.sync import sync_job

__all__ = ["JobController", "sync_job"]
