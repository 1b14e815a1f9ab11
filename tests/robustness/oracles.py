"""What must hold of a Deployment, its ReplicaSets and pods: at any moment, and once settled.

Pure functions over objects, returning the problems found (empty when all is well), shared
by the crash suite (objects read straight from the SQLite file of a killed cluster) and the
property tests (objects from the API after every step).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from controlplane.models.intstr import resolve_fenceposts

Obj = dict[str, Any]
REVISION = "deployment.kubernetes.io/revision"
HASH = "pod-template-hash"


def stored(where: Path | str) -> dict[str, list[Obj]]:
    """Every object outside kube-system (CoreDNS, which every cluster has), by kind, in a
    store file (which SQLite must find intact) or at a store URL."""
    rows = rows_at(
        where,
        "SELECT kind, body FROM objects WHERE namespace != 'kube-system' "
        "ORDER BY kind, namespace, name",
    )
    found: dict[str, list[Obj]] = {}
    for kind, body in rows:
        found.setdefault(kind, []).append(json.loads(body))
    return found


def rows_at(where: Path | str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one query, read straight from a store: its SQLite file (checked intact
    first) or the database of a store URL (a SQLite file's, or PostgreSQL's)."""
    if isinstance(where, str) and where.startswith("sqlite:///"):
        where = Path(where.removeprefix("sqlite:///"))
    if isinstance(where, Path):
        with sqlite3.connect(where) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return conn.execute(sql).fetchall()
    from controlplane.store import Store

    store = Store(where)
    try:
        with store._db.transaction(write=False) as connection:
            return [tuple(row) for row in connection.rows(sql)]
    finally:
        store.dispose()


def controller_refs(obj: Obj) -> list[Obj]:
    return [r for r in obj["metadata"].get("ownerReferences") or [] if r.get("controller")]


def revision(obj: Obj) -> int:
    return int((obj["metadata"].get("annotations") or {}).get(REVISION, "0"))


def active(pods: list[Obj]) -> list[Obj]:
    return [p for p in pods if not p["metadata"].get("deletionTimestamp")]


def image(obj: Obj) -> str:
    spec = obj["spec"]["template"]["spec"] if "template" in obj["spec"] else obj["spec"]
    return str(spec["containers"][0]["image"])


def owned_by(deployment: Obj, replica_sets: list[Obj]) -> list[Obj]:
    uid = deployment["metadata"]["uid"]
    return [rs for rs in replica_sets if any(r["uid"] == uid for r in controller_refs(rs))]


def ownership_problems(pods: list[Obj], replica_sets: list[Obj]) -> list[str]:
    """Each pod has at most one controller, and a pod's controller is a ReplicaSet that exists."""
    uids = {rs["metadata"]["uid"] for rs in replica_sets}
    problems = []
    for pod in pods:
        refs = controller_refs(pod)
        name = pod["metadata"]["name"]
        if len(refs) > 1:
            problems.append(f"pod {name} has {len(refs)} controllers")
        elif refs and refs[0]["uid"] not in uids:
            problems.append(f"pod {name} is controlled by a missing {refs[0]['name']}")
    return problems


def history_problems(deployment: Obj, replica_sets: list[Obj]) -> list[str]:
    """One ReplicaSet per template hash; revisions unique, the Deployment's the highest."""
    mine = owned_by(deployment, replica_sets)
    problems = []
    hashes = Counter(rs["metadata"]["labels"].get(HASH) for rs in mine)
    problems += [f"{n} ReplicaSets for template hash {h}" for h, n in hashes.items() if n > 1]
    revisions = Counter(revision(rs) for rs in mine)
    problems += [f"{n} ReplicaSets at revision {r}" for r, n in revisions.items() if n > 1]
    if mine and revision(deployment) != max(revisions):
        problems.append(f"Deployment at revision {revision(deployment)}, not {max(revisions)}")
    return problems


def fenceposts(deployment: Obj) -> tuple[int, int]:
    """(replicas + maxSurge, replicas - maxUnavailable): a rolling update's pod bounds."""
    spec = deployment["spec"]
    replicas = int(spec["replicas"])
    rolling = (spec.get("strategy") or {}).get("rollingUpdate") or {}
    surge, unavailable = resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas
    )
    return replicas + surge, replicas - unavailable


def settled_problems(deployment: Obj, replica_sets: list[Obj], pods: list[Obj]) -> list[str]:
    """A finished rollout: exactly the desired pods, all from the newest ReplicaSet."""
    mine = owned_by(deployment, replica_sets)
    if not mine:
        return ["no ReplicaSet"]
    new = max(mine, key=revision)
    new_uid = new["metadata"]["uid"]
    pods = [p for p in pods if p["metadata"].get("labels", {}).get(HASH) is not None]
    problems = ownership_problems(pods, replica_sets) + history_problems(deployment, mine)
    if len(pods) != deployment["spec"]["replicas"]:
        problems.append(f"{len(pods)} pods, not {deployment['spec']['replicas']}")
    if image(new) != image(deployment):
        problems.append(f"the newest ReplicaSet runs {image(new)}, not {image(deployment)}")
    strays = [p for p in pods if controller_refs(p)[0]["uid"] != new_uid or image(p) != image(new)]
    problems += [f"pod {p['metadata']['name']} is not from the new ReplicaSet" for p in strays]
    olds = [rs for rs in mine if rs is not new and rs["spec"]["replicas"] != 0]
    problems += [f"old ReplicaSet {rs['metadata']['name']} not at 0" for rs in olds]
    return problems
