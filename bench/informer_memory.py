"""What the controllers' informer holds per pod: bytes (tracemalloc) and list CPU time.

Run it over the store of a cluster that holds pods, e.g. after `bench/bench.py --memory`
or `mkctl apply` of a big Deployment: `python bench/informer_memory.py [MKCTL_HOME]`
(default: $MKCTL_HOME, else ~/.mkctl). It compares what the informer keeps of each pod
(controlplane/api/transform.py) with the pods as the store decodes them, which is what the
informer kept before. Not a timed test: CPU figures move with the machine's load.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from controlplane.api.informer import Informer
from controlplane.store import Store
from controlplane.store.reader import Reader


def traced_bytes(make: Callable[[], Any]) -> tuple[Any, int]:
    """What `make` returns and the bytes it still holds once made."""
    gc.collect()
    tracemalloc.start()
    made = make()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return made, held


def best_cpu(run: Callable[[], Any], times: int = 3) -> float:
    spent = []
    for _ in range(times):
        started = time.process_time()
        run()
        spent.append(time.process_time() - started)
    return min(spent)


def informer_list(reader: Reader) -> list[Any]:
    return Informer(detect_mutations=False).list(reader, "Pod", None, None, False)


def main() -> None:
    home = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MKCTL_HOME", "~/.mkctl"))
    store = Store(f"sqlite:///{home.expanduser() / 'cluster.db'}")
    with store.reader() as reader:
        decoded, decoded_bytes = traced_bytes(lambda: reader.list("Pod"))
        n = len(decoded)
        if not n:
            raise SystemExit(f"no pods in {home}")
        text = sum(len(json.dumps(p, separators=(",", ":"))) for p in decoded) / n
        del decoded
        kept, kept_bytes = traced_bytes(lambda: informer_list(reader))
        del kept
        decode_cpu = best_cpu(lambda: reader.list("Pod"))
        list_cpu = best_cpu(lambda: informer_list(reader))
    print(f"{n:,} pods, {text:,.0f} bytes of JSON each")
    print(f"decoded as the store returns them: {decoded_bytes / n:8,.0f} bytes a pod")
    print(f"kept by the informer:              {kept_bytes / n:8,.0f} bytes a pod")
    print(
        f"CPU: decoding {decode_cpu / n * 1e6:.0f} us a pod, the informer's list "
        f"{list_cpu / n * 1e6:.0f} us a pod (load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
