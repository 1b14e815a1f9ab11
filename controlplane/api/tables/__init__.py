"""Server-side printing: the columns of every kind, as kube-apiserver serves them in Tables.

`kubectl get X` asks the API server for a `meta.k8s.io/v1` Table and prints its cells; `mkctl
get X` asks for the same Table (over HTTP from a daemon, in process without one), so the two
print the same lines by construction. Upstream keeps these printers beside the API server
(pkg/printers/internalversion); so does mkctl:

- `columns`: column definitions and the field documentation their descriptions quote.
- `podstatus`: a pod's READY, STATUS and RESTARTS (printPod), shared with describe and tree.
- `core`, `apps`: each kind's column definitions and the cells of its rows.
- `table`: ConvertToTable, and the handler's asTable (`includeObject`).
"""
