"""What every kind's strategy does unless it says otherwise.

Upstream each kind's REST storage carries a strategy (pkg/registry/<group>/<resource>/
strategy.go) implementing staging/src/k8s.io/apiserver/pkg/registry/rest's
RESTCreateStrategy, RESTUpdateStrategy and RESTGracefulDeleteStrategy; the generic verbs
(`api/verbs.py`, after registry/generic/registry/store.go) call it at fixed points. `Strategy`
is those calls with the defaults of a kind that has no rules of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from controlplane.models.constants import Obj

if TYPE_CHECKING:
    from controlplane.ids import Ids
    from controlplane.store.reader import Reader


class Strategy:
    """The per-kind rules the verbs consult, in the order a write meets them."""

    # metadata.generation counts spec changes (starts at 1 on create).
    has_generation = False
    # A create keeps the status it is given (Namespace, Node) instead of starting empty.
    keeps_status_on_create = False
    # A deletion may wait out a grace period (RESTGracefulDeleteStrategy): pods.
    graceful_deletion = False
    # The uid is drawn before prepare_for_create because the kind's rules derive fields from
    # it (a Job's selector); other kinds draw theirs once they are valid.
    uid_before_prepare = False
    # An update writes status too (a custom resource without a status subresource); other
    # kinds keep the stored status, written only through /status.
    status_on_main_resource = False

    def prepare_for_create(self, obj: Obj) -> None:
        """PrepareForCreate's bookkeeping, after defaulting and before validation."""

    def status_on_create(self, obj: Obj) -> None:
        """The status a new object starts with, once it has its uid."""

    def keep_on_update(self, obj: Obj, stored: Obj) -> None:
        """Fields an update may not change, put back before the body is decoded."""

    def prepare_for_update(self, obj: Obj, stored: Obj) -> None:
        """PrepareForUpdate's bookkeeping, after defaulting and before validation."""

    def allocate(self, reader: Reader, obj: Obj, stored: Obj | None, ids: Ids) -> None:
        """What a valid write takes from what the cluster has allocated, inside the write's
        transaction (a Service's cluster IP and node ports: its REST storage's
        beginCreate/beginUpdate hooks)."""

    def generation_changes(self, old: Obj, new: Obj) -> bool:
        """Whether an update bumps metadata.generation: a spec change."""
        return new.get("spec") != old.get("spec")

    def prepare_for_delete(self, obj: Obj) -> None:
        """What a delete adds to an object it marks (a CRD's cleanup finalizer)."""

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        """CheckGracefulDelete: how long a deletion waits (0: at once)."""
        return 0

    def deletion_can_finish(self, obj: Obj) -> bool:
        """An object marked for deletion goes once no finalizer holds it."""
        meta = obj["metadata"]
        return bool(meta.get("deletionTimestamp")) and not meta.get("finalizers")
