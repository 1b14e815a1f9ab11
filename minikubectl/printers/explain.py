"""`kubectl explain` over an OpenAPI v3 document: a port of kubectl's plaintext template.

kubectl renders explain output with a Go template (staging/src/k8s.io/kubectl/pkg/explain/v2/
templates/plaintext.tmpl) over the server's OpenAPI v3 schemas; this module follows it
function by function (`output`, `fieldList`, `fieldDetail`, `description`, `typeGuess`,
`extractEnum`) and wraps text with a port of github.com/mitchellh/go-wordwrap, so that layout
quirks survive: two blank lines after `FIELD:`, a line of four spaces closing DESCRIPTION, a
tab between a field and its type, types guessed from `$ref` names. Checked against kubectl
1.37 reading the same schemas from a scratch API server.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
REF_PREFIX = "#/components/schemas/"
NBSP = "\u00a0"


class FieldMissing(Exception):
    """The field path names a field the schema does not have."""


def wrap(text: str, limit: int) -> str:
    """go-wordwrap's WrapString: break at spaces so lines stay within `limit` runes; keep
    existing newlines; a word longer than the limit stays whole on its own line."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for char in text:
        if char == "\n":
            if not word:
                if current + len(space) > limit:
                    current = 0
                else:
                    out += space
            else:
                out += space + word
            space, word = [], []
            out.append(char)
            current = 0
        elif char.isspace() and char != NBSP:
            if not space or word:
                current += len(space) + len(word)
                out += space + word
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out += space
    else:
        out += space + word
    return "".join(out)


def indent(amount: int, text: str) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


class Explainer:
    """The template's functions over one document's `components.schemas`."""

    def __init__(self, schemas: dict[str, Schema]) -> None:
        self.schemas = schemas

    def resolve(self, ref: Any) -> Schema | None:
        if not isinstance(ref, str) or not ref.startswith(REF_PREFIX):
            return None
        return self.schemas.get(ref[len(REF_PREFIX) :])

    def type_guess(self, schema: Schema) -> str:
        if schema.get("items"):
            return "[]" + self.type_guess(schema["items"])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return "map[string]" + self.type_guess(extra)
        all_of = schema.get("allOf")
        if all_of and not schema.get("properties") and len(all_of) == 1:
            return self.type_guess(all_of[0])
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            if not target or not target.get("type") or target["type"] == "object":
                name = str(schema["$ref"]).split("/")[-1]
                return name.split(".")[-1] or "Object"
            return str(target["type"])
        kind = schema.get("type")
        return "Object" if kind == "object" or not kind else str(kind)

    def description(self, schema: Schema) -> str:
        target = self.resolve(schema.get("$ref")) or schema
        text = f"{target['description']}\n" if target.get("description") else ""
        for sub in target.get("allOf") or []:
            text += self.description(sub)
        if target.get("items"):
            text += self.description(target["items"])
        extra = target.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            text += self.description(extra)
        return text

    @staticmethod
    def enum(schema: Schema, *, long_view: bool, indent_amount: int = 0) -> str:
        values = schema.get("enum")
        if not values:
            return ""
        shown = ['""' if v == "" else str(v) for v in values]
        if long_view:
            return "ENUM:" + "".join(f"\n    {v}" for v in shown)
        listed = ", ".join(shown[:4]) + (", ...." if len(shown) > 4 else "")
        return " " * indent_amount + "enum: " + listed + "\n"

    def field_detail(self, name: str, owner: Schema, *, short: bool, level: int) -> str:
        amount = level * 2
        field = owner["properties"][name]
        text = indent(amount, name) + f"\t<{self.type_guess(field)}>"
        if name in (owner.get("required") or []):
            text += " -required-"
        text += "\n" + self.enum(field, long_view=False, indent_amount=amount)
        if not short:
            about = field.get("description") or "<no description>"
            text += indent(amount + 2, wrap(about, 78 - amount)) + "\n\n"
        return text

    def field_list(
        self, schema: Schema, level: int, history: frozenset[str], recursive: bool
    ) -> str:
        ref = schema.get("$ref") or ""
        if ref and ref in history:
            return ""  # a cycle
        history = history | {ref}
        target = self.resolve(ref) or schema
        text = ""
        for name in sorted(target.get("properties") or {}):
            text += self.field_detail(name, target, short=recursive, level=level)
            if recursive:
                text += self.field_list(target["properties"][name], level + 1, history, recursive)
        for sub in target.get("allOf") or []:
            text += self.field_list(sub, level, history, recursive)
        if target.get("items"):
            text += self.field_list(target["items"], level, history, recursive)
        extra = target.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            text += self.field_list(extra, level, history, recursive)
        return text

    def output(
        self, schema: Schema, path: list[str], history: frozenset[str], recursive: bool
    ) -> str:
        ref = schema.get("$ref") or ""
        target = self.resolve(ref) or schema
        if not path:
            about = self.description(target) or "<empty>"
            text = "DESCRIPTION:\n" + indent(4, wrap(about, 76)) + "\n"
            fields = self.field_list(target, 1, frozenset(), recursive)
            return text + ("FIELDS:\n" + fields if fields else "")
        if ref and ref in history:
            return ""
        history = history | {ref}
        properties = target.get("properties") or {}
        if path[0] in properties:
            sub = properties[path[0]]
            head = ""
            if len(path) == 1:
                head = f"FIELD: {path[0]} <{self.type_guess(sub)}>\n"
                head += self.enum(sub, long_view=True) + "\n\n"
            return head + self.output(sub, path[1:], frozenset(), recursive)
        if target.get("items"):
            return self.output(target["items"], path, history, recursive)
        extra = target.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return self.output(extra, path, history, recursive)
        for sub in target.get("allOf") or []:
            found = self.output(sub, path, history, recursive)
            if found:
                return found
        return ""


def header(group: str, kind: str, version: str) -> str:
    """GROUP (when there is one), KIND and VERSION, then an empty line."""
    lead = f"GROUP:      {group}\n" if group else ""
    return f"{lead}KIND:       {kind}\nVERSION:    {version}\n\n"


def explain(schemas: dict[str, Schema], root: str, path: list[str], *, recursive: bool) -> str:
    """The body after the header for the type `root`; FieldMissing if the path leads nowhere."""
    body = Explainer(schemas).output(schemas[root], path, frozenset(), recursive)
    if not body:
        raise FieldMissing(f'field "{path[-1]}" does not exist')
    return body + "\n"
