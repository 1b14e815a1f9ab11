"""The API in process as the CLI's door (embedded mode): `controlplane.api.verbs.Api`, with
what the API server's handlers do around a write before the verbs see it.

A write's body meets the request's fieldValidation (`controlplane/api/field_validation.py`):
the command's `--validate` directive, or for a command without the flag, none, so the
server's default, Warn, applies as it does to kubectl's requests over HTTP
(staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go fieldValidation). The warnings
the verbs record are shown as kubectl shows a server's (`minikubectl.warning_writer`).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from controlplane.api import warnings
from controlplane.api.field_validation import SERVER_DEFAULT, STRICT, admit_body
from controlplane.api.verbs import Api
from controlplane.clock import Clock
from controlplane.models.clone import clone
from controlplane.models.constants import Obj
from minikubectl.warning_writer import write_warnings


class LocalApi:
    """A `ClusterApi` over the verbs in process; `field_validation` is `--validate`'s."""

    def __init__(self, api: Api, field_validation: str = "") -> None:
        self.api = api
        self.directive = field_validation or SERVER_DEFAULT

    @property
    def clock(self) -> Clock:
        return self.api.clock

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        return self.api.get(kind, namespace, name)

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: Mapping[str, Any] | str | None = None,
        field_selector: str | None = None,
    ) -> builtins.list[Obj]:
        return self.api.list(
            kind, namespace, label_selector=label_selector, field_selector=field_selector
        )

    def create(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        with self._served():
            admitted = self._admitted(obj)
            return self.api.create(admitted, dry_run=dry_run, field_manager=field_manager)

    def update(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        with self._served():
            admitted = self._admitted(obj)
            return self.api.update(admitted, dry_run=dry_run, field_manager=field_manager)

    def update_status(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        with self._served():
            admitted = self._admitted(obj)
            return self.api.update_status(admitted, dry_run=dry_run, field_manager=field_manager)

    def patch(
        self,
        kind: str,
        namespace: str,
        name: str,
        body: Any,
        patch_type: str,
        *,
        dry_run: bool = False,
        field_manager: str = "",
    ) -> Obj:
        with self._served():
            return self.api.patch(
                kind,
                namespace,
                name,
                body,
                patch_type,
                dry_run=dry_run,
                field_validation=self.directive,
                field_manager=field_manager,
            )

    def apply(
        self, config: Obj, *, field_manager: str, force: bool = False, dry_run: bool = False
    ) -> tuple[Obj, bool]:
        with self._served():
            if self.directive != STRICT:  # as the handler's server_side_apply
                config = self._admitted(config)
            return self.api.apply(config, field_manager=field_manager, force=force, dry_run=dry_run)

    def delete(
        self,
        kind: str,
        namespace: str,
        name: str,
        *,
        propagation: str | None = None,
        grace_period_seconds: int | None = None,
        uid: str = "",
        resource_version: str = "",
        dry_run: bool = False,
    ) -> Obj:
        with self._served():
            return self.api.delete(
                kind,
                namespace,
                name,
                propagation=propagation,
                grace_period_seconds=grace_period_seconds,
                uid=uid,
                resource_version=resource_version,
                dry_run=dry_run,
            )

    def batch(self) -> AbstractContextManager[None]:
        return self.api.batch()

    def _admitted(self, obj: Obj) -> Obj:
        """A create or update body as the handlers admit it (handlers.go `admitted`)."""
        obj = clone(obj)
        admit_body(obj, self.directive)
        return obj

    @contextmanager
    def _served(self) -> Iterator[None]:
        """One request: the warnings its verb records are shown, even when it fails."""
        with warnings.recorded() as said:
            try:
                yield
            finally:
                write_warnings(said)
