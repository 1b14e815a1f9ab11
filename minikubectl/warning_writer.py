"""The API server's warnings, as kubectl shows them: `Warning: <text>` on stderr, each
distinct text once per command (kubectl's `rest.NewWarningWriter` with `Deduplicate: true`,
staging/src/k8s.io/client-go/rest/warnings.go). The daemon sends them as `Warning: 299 - "..."`
headers; in process the verbs record them (`controlplane.api.warnings`)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable

# warnings.go ParseWarningHeader: code, agent, then the quoted text
_HEADER = re.compile(r'\s*299\s+\S+\s+("(?:[^"\\]|\\.)*")\s*(?:,|$)')
_written: set[str] = set()


def write_warnings(texts: Iterable[str]) -> None:
    for text in texts:
        if text not in _written:
            _written.add(text)
            sys.stderr.write(f"Warning: {text}\n")


def header_texts(header: str) -> list[str]:
    """The texts of a response's `Warning` headers (repeated ones joined by commas)."""
    return [json.loads(quoted) for quoted in _HEADER.findall(header)]
