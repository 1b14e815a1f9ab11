"""kubectl's client-side logic: what kubectl computes before it sends a request.

Upstream this lives in staging/src/k8s.io/kubectl, not in the API server, and so it does here:

- `apply`: client-side apply's three-way merge (pkg/cmd/apply, strategicpatch's
  CreateThreeWayMergePatch) and the patch `edit` and `set image` send;
- `rollout`: history, undo, restart, pause and resume per kind (pkg/polymorphichelpers);
- `scale`: the scaler, with `--current-replicas`/`--resource-version` preconditions
  (pkg/scale);
- `list_validation`: the client-side schema check of a `kind: List`'s items (pkg/validation).

Everything here talks to the cluster through a `ClusterApi`, as the commands do.
"""
