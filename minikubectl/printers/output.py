"""`-o/--output`: kubectl's printer flags, parsed once and shared by every command that prints.

`get` accepts tables (`-o wide`), json, yaml, name, the JSONPath family (`jsonpath=`,
`jsonpath-file=`, `jsonpath-as-json=`) and custom columns; commands that write objects (apply,
create, label, patch ...) accept json, yaml, name and JSONPath. The spelling rules, the order
in which kubectl tries each printer and every message are cli-runtime's (`PrintFlags`,
`JSONPathPrintFlags`) and kubectl's (`CustomColumnsPrintFlags`). Go templates are not
implemented, so they are not offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from controlplane.models.constants import Obj
from minikubectl.errors import CliError

if TYPE_CHECKING:  # both are imported when a format needs them: tables stay light
    from minikubectl.printers import customcolumns, jsonpath

GET_FORMATS = (
    "custom-columns",
    "custom-columns-file",
    "json",
    "jsonpath",
    "jsonpath-as-json",
    "jsonpath-file",
    "name",
    "wide",
    "yaml",
)
OBJECT_FORMATS = ("json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "name", "yaml")
_JSONPATH = ("jsonpath", "jsonpath-file", "jsonpath-as-json")
_COLUMNS = ("custom-columns", "custom-columns-file")


def read_file(path: str) -> str:
    """os.ReadFile, failing with Go's text (`open x: no such file or directory`)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except IsADirectoryError:
        raise ValueError(f"read {path}: is a directory") from None
    except OSError as exc:
        reason = (exc.strerror or str(exc))[:1].lower() + (exc.strerror or str(exc))[1:]
        raise ValueError(f"open {path}: {reason}") from None


def _split(value: str, formats: Sequence[str], template: str) -> tuple[str, str]:
    """`jsonpath={.x}` -> (`jsonpath`, `{.x}`); with --template the value is not split."""
    if template:
        return value, template
    for name in formats:
        if value.startswith(name + "="):
            return name, value[len(name) + 1 :]
    return value, ""


class Printer(NamedTuple):
    """How to print: `format` is `""`/`wide` (tables) or a machine format."""

    format: str
    template: str = ""
    program: jsonpath.Program | None = None
    columns: tuple[customcolumns.Column, ...] = ()
    allow_missing_keys: bool = True
    no_headers: bool = False
    show_managed_fields: bool = False

    @property
    def human(self) -> bool:
        return self.format in ("", "wide")

    def render(self, document: Any) -> str:
        """One printed document (an object, or a `List`), exactly as kubectl writes it."""
        from minikubectl.printers import formats

        if not self.show_managed_fields and isinstance(document, dict):
            document = formats.omit_managed_fields(document)
        if self.format == "json":
            return formats.to_json(document)
        if self.format == "yaml":
            return formats.to_yaml(document)
        items = document.get("items", []) if document.get("kind") == "List" else [document]
        if self.format == "name":
            return "".join(formats.name_line(item) + "\n" for item in items)
        if self.columns:
            from minikubectl.printers import customcolumns

            return customcolumns.render(self.columns, items, no_headers=self.no_headers)
        assert self.program is not None
        from minikubectl.printers import jsonpath

        try:
            results = jsonpath.execute(
                self.program, document, allow_missing_keys=self.allow_missing_keys
            )
        except jsonpath.JSONPathError as exc:
            raise CliError(jsonpath.execute_error(self.template, exc, document)) from exc
        return jsonpath.render(results, as_json=self.format == "jsonpath-as-json")


def parse_printer(
    output: str | None,
    allowed: Sequence[str] = OBJECT_FORMATS,
    *,
    template: str | None = None,
    no_headers: bool = False,
    allow_missing_keys: bool = True,
    show_managed_fields: bool = False,
) -> Printer:
    """PrintFlags.ToPrinter: the first printer that accepts `output`, or kubectl's error."""
    printer = _printer_for(output, allowed, template, no_headers, allow_missing_keys)
    return printer._replace(show_managed_fields=True) if show_managed_fields else printer


def _printer_for(
    output: str | None,
    allowed: Sequence[str],
    template: str | None,
    no_headers: bool,
    allow_missing_keys: bool,
) -> Printer:
    value = output or ""
    template = template or ""
    if template and not value:  # get's --template alone means a Go template
        value = "go-template"
    if value in ("json", "yaml", "name") and value in allowed:
        return Printer(value)
    name, text = _split(value, _JSONPATH, template)
    if name in _JSONPATH:
        from minikubectl.printers import jsonpath

        if not text:
            raise CliError("template format specified but no template given")
        if name == "jsonpath-file":
            try:
                text = read_file(text)
            except ValueError as exc:
                raise CliError(f"error reading --template {text}, {exc}") from None
        try:
            program = jsonpath.parse(text)
        except jsonpath.JSONPathError as exc:
            raise CliError(jsonpath.parse_error(text, exc)) from None
        return Printer(name, text, program, allow_missing_keys=allow_missing_keys)
    if value and "custom-columns" in allowed:
        name, text = _split(value, _COLUMNS, template)
        if name in _COLUMNS:
            from minikubectl.printers import customcolumns

            if not text:
                raise CliError("custom-columns format specified but no custom columns given")
            if name == "custom-columns":
                columns = customcolumns.from_spec(text)
            else:
                try:
                    source = read_file(text)
                except ValueError as exc:
                    raise CliError(f"error reading template {text}, {exc}") from None
                columns, no_headers = customcolumns.from_template(source), False
            return Printer(name, text, columns=tuple(columns), no_headers=no_headers)
    if value in ("", "wide") and "wide" in allowed:
        return Printer(value, no_headers=no_headers)
    raise CliError(
        f'unable to match a printer suitable for the output format "{value}", allowed '
        f"formats are: {','.join(allowed)}"
    )


def print_each(printer: Printer, objects: Sequence[Obj]) -> str:
    """Write commands print every object on its own; YAML documents are separated by `---`."""
    out = []
    for i, obj in enumerate(objects):
        if printer.format == "yaml" and i:
            out.append("---\n")
        out.append(printer.render(obj))
    return "".join(out)
