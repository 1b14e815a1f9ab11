"""The mkctl config: a kubeconfig in `MKCTL_HOME/config` whose contexts hold a namespace.

kubectl keeps "which namespace do I mean when I say nothing" in the current context of the
kubeconfig; so does mkctl, with one cluster and one user, both named `mkctl`. The file is
written as JSON (valid YAML, and valid for kubectl) so that reading it on every command costs
no YAML import. Without a file, the config is the default: context `mkctl`, no namespace.

It is mkctl's own, and kept apart from `MKCTL_HOME/kubeconfig`, which the daemon writes for
real clients (server URL and bearer token): this one names the store, which kubectl cannot
reach, and outlives daemons; that one is rewritten by every `cluster start`.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from controlplane.home import home, private_home, store_url, write_private
from minikubectl.errors import CliError
from minikubectl.globalflags import FLAGS

NAME = "mkctl"
Doc = dict[str, Any]


def config_path() -> Path:
    """`--kubeconfig`, else `MKCTL_HOME/config`."""
    return Path(FLAGS.kubeconfig) if FLAGS.kubeconfig else home() / "config"


def _server() -> str:
    """Where the cluster lives: the store URL, with any password redacted as kubectl does."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:REDACTED@", store_url())


def default_config() -> Doc:
    """kubectl's field order (`config view -o json`): kind, apiVersion, clusters, users..."""
    return {
        "kind": "Config",
        "apiVersion": "v1",
        "clusters": [{"name": NAME, "cluster": {"server": ""}}],
        "users": [{"name": NAME, "user": {}}],
        "contexts": [{"name": NAME, "context": {"cluster": NAME, "user": NAME}}],
        "current-context": NAME,
    }


def load() -> Doc:
    """The config as stored (or the default), with the cluster's server filled in.

    A file that cannot be read or is not a kubeconfig fails as kubectl's clientcmd loader
    does: `error loading config file "PATH": <why>`."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if FLAGS.kubeconfig:  # client-go's loader: an explicit file must exist
            raise CliError(f"stat {path}: no such file or directory") from None
        doc = default_config()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "invalid UTF-8"
        reason = (reason or "")[:1].lower() + (reason or "")[1:]  # Go's errno text
        raise CliError(f'error loading config file "{path}": read {path}: {reason}') from None
    else:
        doc = _parse(text, path)
        if FLAGS.verbosity >= 6:
            from minikubectl.errors import klog

            print(klog("I", "loader.go:408", f"Config loaded from file:  {path}"), file=sys.stderr)
    for entry in doc.get("clusters") or []:
        if entry.get("name") == NAME:
            entry.setdefault("cluster", {})["server"] = _server()
    return doc


def _parse(text: str, path: Path) -> Doc:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:  # hand-edited as YAML: still a kubeconfig
        from minikubectl.yaml_reader import yaml_to_python

        try:
            doc = yaml_to_python(text) or {}
        except ValueError as exc:
            raise CliError(f'error loading config file "{path}": {exc}') from None
    if not isinstance(doc, dict):
        raise CliError(f'error loading config file "{path}": not a kubeconfig')
    # The Go types of clientcmd/api/v1's Config fields.
    types = {"clusters": "NamedCluster", "users": "NamedAuthInfo", "contexts": "NamedContext"}
    for field, type_name in types.items():
        entries = doc.get(field) or []
        named = f"v1.{type_name}"
        wrong = (
            (entries, f"[]{named}")
            if not isinstance(entries, list)
            else next(((e, named) for e in entries if not isinstance(e, dict)), None)
        )
        if wrong is not None:
            from controlplane.api.jsonsyntax import go_type_name

            raise CliError(
                f'error loading config file "{path}": json: cannot unmarshal '
                f"{go_type_name(wrong[0])} into Go struct field Config.{field} of type {wrong[1]}"
            )
    return doc


def save(doc: Doc) -> None:
    private_home()
    write_private(config_path(), json.dumps(doc, indent=4) + "\n")


def user_kubeconfig() -> Path:
    """The kubeconfig kubectl writes to: the first file of $KUBECONFIG, else ~/.kube/config
    (client-go's `clientcmd.NewDefaultPathOptions`)."""
    listed = [p for p in os.environ.get("KUBECONFIG", "").split(os.pathsep) if p]
    return Path(listed[0]) if listed else Path.home() / ".kube" / "config"


def merge_into(target: Path, source: Doc) -> None:
    """Put `source`'s clusters, users and contexts into the kubeconfig `target`, replacing
    entries of the same names and keeping every other one (and its current context, unless
    it has none). Written 0600, atomically, as kubectl writes it."""
    import yaml

    try:
        doc = _parse(target.read_text(), target) if target.exists() else {}
    except OSError as exc:
        raise CliError(f'error loading config file "{target}": {exc.strerror}') from exc
    doc.setdefault("apiVersion", "v1")
    doc.setdefault("kind", "Config")
    for section in ("clusters", "users", "contexts"):
        added = source.get(section) or []
        names = {entry.get("name") for entry in added}
        kept = [e for e in doc.get(section) or [] if e.get("name") not in names]
        doc[section] = kept + added
    doc["current-context"] = doc.get("current-context") or source.get("current-context", "")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(target, yaml.safe_dump(doc, default_flow_style=False, sort_keys=False))


def named(doc: Doc, section: str, name: str) -> dict[str, Any]:
    """The body of the cluster or user `name` (`section` "clusters" or "users"), or {}."""
    key = section[:-1]  # "cluster", "user"
    for entry in doc.get(section) or []:
        if entry.get("name") == name:
            return dict(entry.get(key) or {})
    return {}


def _entry(doc: Doc, name: str) -> dict[str, Any] | None:
    for entry in doc.get("contexts") or []:
        if entry.get("name") == name:
            return dict(entry.get("context") or {})
    return None


def current_context(doc: Doc) -> dict[str, Any]:
    """The context in use: `--context`'s, which must exist (client-go's
    `DirectClientConfig.ConfirmUsable`), else the current one."""
    if FLAGS.context:
        found = _entry(doc, FLAGS.context)
        if found is None:
            raise CliError(
                "Error in configuration: context was not found for specified context: "
                + FLAGS.context,
                prefixed=False,
            )
        return found
    return _entry(doc, doc.get("current-context") or "") or {}


def current_namespace() -> str | None:
    """The namespace of the context in use, if one is set (kubectl's default namespace)."""
    if not (FLAGS.kubeconfig or FLAGS.context) and not config_path().exists():
        return None
    namespace = current_context(load()).get("namespace")
    return str(namespace) if namespace else None


def set_context(doc: Doc, name: str, namespace: str | None) -> tuple[Doc, bool]:
    """`config set-context NAME --namespace=X`; returns the new doc and whether NAME existed."""
    new = copy.deepcopy(doc)
    contexts = new.setdefault("contexts", [])
    existed = _entry(doc, name) is not None
    if not existed:
        contexts.append({"name": name, "context": {}})
    context = next(e for e in contexts if e.get("name") == name).setdefault("context", {})
    if namespace is not None:
        if namespace:
            context["namespace"] = namespace
        else:
            context.pop("namespace", None)
    return new, existed


def use_context(doc: Doc, name: str) -> Doc:
    if _entry(doc, name) is None:
        raise CliError(f'no context exists with the name: "{name}"')
    new = copy.deepcopy(doc)
    new["current-context"] = name
    return new


def minify(doc: Doc) -> Doc:
    """`config view --minify`: only what the current context uses."""
    name = FLAGS.context or doc.get("current-context") or ""
    context = current_context(doc)
    if not context:
        raise CliError("current-context must exist in order to minify")

    def keep(section: str, wanted: str) -> list[Any]:
        return [e for e in doc.get(section) or [] if e.get("name") == wanted]

    return {
        **doc,
        "clusters": keep("clusters", context.get("cluster", "")),
        "users": keep("users", context.get("user", "")),
        "contexts": keep("contexts", name),
    }
