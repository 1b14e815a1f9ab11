"""Printers: objects in, text out, byte for byte as kubectl prints them. Printers never fetch.

- `tabwriter`: Go's text/tabwriter, the aligner behind tables and describe pages.
- `age`: HumanDuration (`2m5s`, `3h`, `<invalid>`) and describe's RFC 1123 timestamps.
- `podstatus`: a pod's READY, STATUS and RESTARTS, shared by get, describe and tree.
- `columns`, `columns_apps`: `kubectl get` tables per kind, default and wide.
- `formats`: `-o json`, `-o yaml`, `-o name`, and the `List` wrapper.
- `writer`, `podtemplate`, `describe`, `describe_sets`, `describe_cluster`, `quantity`:
  `kubectl describe`.
- `history`: `kubectl rollout history`.

Submodules are imported on demand so that a command pays only for the printer it uses.
"""
