"""A container's log as `mkctl logs` reads it: the daemon's `pods/log` over HTTP, or the
simulated kubelet's log read in process (controlplane/kubelet/logs.py), streamed with
`-f` until the container's run ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from minikubectl.client import EMBEDDED_POLL_SECONDS
from minikubectl.kubectl.logs import log_query

if TYPE_CHECKING:
    from controlplane.kubelet.logs import LogOptions
    from minikubectl.client import Client


def pod_log(
    client: Client, namespace: str, name: str, options: LogOptions, follow: bool
) -> Iterator[str]:
    """A container's log (`pods/log`), as text as it comes: over the daemon's API, or
    read in process; `follow` streams until the container's run ends."""
    if client.served is not None:
        import codecs

        decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a chunk may end mid-rune
        for chunk in client.served.pod_log(namespace, name, log_query(options, follow)):
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)
        return
    import time

    from controlplane.kubelet import logs

    api = client.local
    if not follow:
        yield logs.pod_log(api, namespace, name, options, api.clock.now())
        return
    stream = logs.LogStream(api, namespace, name, options)
    yield stream.start(api.clock.now())
    more = True
    while more:
        time.sleep(EMBEDDED_POLL_SECONDS)
        client.settle()  # embedded: the cluster moves only while a command runs
        text, more = stream.next(api.clock.now())
        if text:
            yield text
