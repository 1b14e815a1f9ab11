"""Printers: objects in, text out, byte for byte as kubectl prints them. Printers never fetch.

- `tabwriter`: Go's text/tabwriter, the aligner behind tables and describe pages.
- `age`: HumanDuration (`2m5s`, `3h`, `<invalid>`) and describe's RFC 1123 timestamps.
- `columns`: the API server's Tables laid out as `kubectl get` prints them, default and wide
  (the columns and cells themselves are the server's, in `controlplane.api.tables`).
- `listing`: what `get` prints for what it found, tables or one document.
- `formats`: `-o json`, `-o yaml`, `-o name`, and the `List` wrapper.
- `writer`, `podtemplate`, `describe`, `describe_apps`, `describe_cluster`, `quantity`:
  `kubectl describe`.
- `history`: `kubectl rollout history`.

Submodules are imported on demand so that a command pays only for the printer it uses.
"""
