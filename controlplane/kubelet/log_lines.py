"""What a simulated container prints: its log lines, each with the moment it was written.

mkctl runs no processes, so a container's output is derived from what it would run: its
image, command, args and environment, and how long its run has lasted. Three sources:

- a shell script (`sh -c "..."` in command or args, as tutorials write them): its `echo` and
  `printf` statements print, with `$VAR` from the container's environment (and `HOSTNAME`,
  the pod's name); `sleep N` lets time pass and `while true; do ...; done` repeats, so a
  loop's lines keep appearing while the container runs;
- a known image's start-up lines: the official nginx image (its entrypoint scripts from
  1.19 on, then nginx's notices), httpd and redis;
- anything else prints nothing, as a quiet program would.

A container that crashes (mkctl's `crashloop` convention, docs/failure-simulation.md) prints
the same start, then its failure at the moment it exited.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shlex
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from controlplane.models import coredns

MAX_LOOP_LINES = 10_000  # a `while true` loop stops being followed after this many lines
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
# The nginx releases that the images' tags name by minor version (nginx.org's changes).
NGINX_LATEST = {
    "1.19": "1.19.10",
    "1.20": "1.20.2",
    "1.21": "1.21.6",
    "1.22": "1.22.1",
    "1.23": "1.23.4",
    "1.24": "1.24.0",
    "1.25": "1.25.5",
    "1.26": "1.26.3",
    "1.27": "1.27.5",
    "1.28": "1.28.0",
    "1.29": "1.29.3",
}
NGINX_MAINLINE = "1.29.3"


@dataclass(frozen=True)
class Line:
    at: float  # when it was written, in seconds since the epoch
    text: str


@dataclass(frozen=True)
class ContainerRun:
    """One run of a container, as the log needs it."""

    image: str
    argv: list[str]  # command + args as written in the spec (empty: the image's default)
    env: Mapping[str, str]
    started_at: float
    crashed: bool


Program = Callable[[ContainerRun], list[Line]]


def _repository(image: str) -> tuple[str, str]:
    """The image's last path part and its tag (`docker.io/library/nginx:1.25` -> nginx, 1.25)."""
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    repo, _, tag = last.partition(":")
    return repo, tag or "latest"


def _clock(at: float) -> str:
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(at))


def nginx_version(tag: str) -> tuple[int, ...] | None:
    """The nginx release a tag runs, as numbers; None for a tag that names none (latest)."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", tag)
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def nginx_lines(run: ContainerRun) -> list[Line]:
    """docker-nginx's /docker-entrypoint.sh (1.19 and later), then nginx's start notices."""
    _, tag = _repository(run.image)
    version = nginx_version(tag)
    if version is not None and version < (1, 19):
        return []  # before 1.19 the image has no entrypoint script and nginx starts silently
    if version is None or len(version) < 3:
        release = NGINX_LATEST.get(".".join(map(str, version or ())), NGINX_MAINLINE)
    else:
        release = ".".join(map(str, version))
    at = run.started_at
    entry = "/docker-entrypoint.sh"
    scripts = [
        f"{entry}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        f"{entry}: Looking for shell scripts in /docker-entrypoint.d/",
        f"{entry}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
        "/etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
        "/etc/nginx/conf.d/default.conf",
    ]
    if version is None or version >= (1, 25):
        scripts.append(f"{entry}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh")
    scripts += [
        f"{entry}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        f"{entry}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        f"{entry}: Configuration complete; ready for start up",
    ]
    lines = [Line(at + 0.004 + i * 0.003, text) for i, text in enumerate(scripts)]
    at += 0.05
    if run.crashed:
        problem = 'host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14'
        return [
            *lines,
            Line(at, f"{_clock(at)} [emerg] 1#1: {problem}"),
            Line(at + 0.0001, f"nginx: [emerg] {problem}"),
        ]
    notices = [
        'using the "epoll" event method',
        f"nginx/{release}",
        "built by gcc 12.2.0 (Debian 12.2.0-14)",
        "OS: Linux 6.8.0-mkctl",
        "getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "start worker processes",
        "start worker process 29",
        "start worker process 30",
    ]
    return lines + [
        Line(at + i * 0.0002, f"{_clock(at)} [notice] 1#1: {text}")
        for i, text in enumerate(notices)
    ]


def httpd_lines(run: ContainerRun) -> list[Line]:
    """The official httpd image's foreground start."""
    at = run.started_at + 0.02
    stamp = time.strftime("%a %b %d %H:%M:%S", time.gmtime(at)) + f".{int(at % 1 * 1e6):06d}"
    year = time.strftime("%Y", time.gmtime(at))
    warning = (
        "AH00558: httpd: Could not reliably determine the server's fully qualified domain "
        "name, using 10.244.0.5. Set the 'ServerName' directive globally to suppress this message"
    )
    return [
        Line(at, warning),
        Line(at + 0.001, warning),
        Line(
            at + 0.002,
            f"[{stamp} {year}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) "
            "configured -- resuming normal operations",
        ),
        Line(
            at + 0.003,
            f"[{stamp} {year}] [core:notice] [pid 1:tid 1] AH00094: Command line: "
            "'httpd -D FOREGROUND'",
        ),
    ]


def redis_lines(run: ContainerRun) -> list[Line]:
    """The official redis image's start (its notices, in redis' own format)."""
    at = run.started_at + 0.01
    stamp = time.strftime("%d %b %Y %H:%M:%S", time.gmtime(at)) + f".{int(at % 1 * 1000):03d}"
    notices = [
        "# WARNING Memory overcommit must be enabled!",
        "* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
        "* Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started",
        "# Warning: no config file specified, using the default config.",
        "* monotonic clock: POSIX clock_gettime",
        "* Running mode=standalone, port=6379.",
        "* Server initialized",
        "* Ready to accept connections tcp",
    ]
    return [Line(at + i * 0.0005, f"1:M {stamp} {text}") for i, text in enumerate(notices)]


def coredns_lines(run: ContainerRun) -> list[Line]:
    """CoreDNS's start: its server blocks, the Corefile's digest, its version."""
    at = run.started_at + 0.02
    digest = hashlib.sha512(coredns.COREFILE.encode()).hexdigest()
    version = _repository(run.image)[1].lstrip("v")
    texts = [
        ".:53",
        f"[INFO] plugin/reload: Running configuration SHA512 = {digest}",
        f"CoreDNS-{version}",
        "linux/amd64, go1.24.6, ",
    ]
    return [Line(at + i * 0.0001, text) for i, text in enumerate(texts)]


IMAGE_PROGRAMS: dict[str, Program] = {
    "coredns": coredns_lines,
    "nginx": nginx_lines,
    "httpd": httpd_lines,
    "redis": redis_lines,
}


def _expand(word: str, env: Mapping[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: env.get(m.group(1) or m.group(2), ""), word)


def _statements(tokens: list[str]) -> list[list[str]]:
    statements: list[list[str]] = [[]]
    for token in tokens:
        if token in (";", "&&", "||", "|", "&", "\n"):
            statements.append([])
        else:
            statements[-1].append(token)
    return [s for s in statements if s]


def _printed(words: list[str], env: Mapping[str, str]) -> str | None:
    """What an `echo` or `printf` statement writes (one line), or None for other commands."""
    args = [_expand(word, env) for word in words[1:]]
    if words[0] == "echo":
        while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
            args = args[1:]
        return " ".join(args)
    if words[0] == "printf" and args:
        form = args[0].replace("\\n", "\n").replace("\\t", "\t")
        try:
            return (form % tuple(args[1:]) if "%" in form else form).rstrip("\n")
        except (TypeError, ValueError):  # a format Python's % cannot fill
            return form.rstrip("\n")
    return None


def shell_lines(script: str, run: ContainerRun, until: float) -> list[Line]:
    """A `sh -c` script's output up to `until`: its echoes, its sleeps and one level of
    `while true; do ...; done`."""
    try:
        lexer = shlex.shlex(script.replace("\n", " ; "), posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        statements = _statements(list(lexer))
    except ValueError:  # unbalanced quotes: the shell would fail before printing
        return []
    env = {"HOSTNAME": "", **run.env}
    lines: list[Line] = []
    at = run.started_at + 0.001
    index = 0
    while index < len(statements) and at <= until:
        words = statements[index]
        if words[0] == "while":
            end = next((i for i in range(index, len(statements)) if statements[i] == ["done"]), -1)
            within = [words, *statements[index + 1 : end]] if end > 0 else []
            starts = [i for i, s in enumerate(within) if "do" in s]
            body = []
            if starts:
                opening = within[starts[0]]
                body = [opening[opening.index("do") + 1 :], *within[starts[0] + 1 :]]
            body = [s for s in body if s]
            steps = sum(_sleep_of(s) for s in body)
            while at <= until and len(lines) < MAX_LOOP_LINES and body:
                for statement in body:
                    if (text := _printed(statement, env)) is not None and at <= until:
                        lines.append(Line(at, text))
                    at += _sleep_of(statement) or 0.0
                if steps == 0:
                    break  # a loop that never sleeps: show one pass, not an endless burst
            index = end + 1 if end > 0 else len(statements)
            continue
        if words[0] == "exit":
            break
        if (text := _printed(words, env)) is not None:
            lines.append(Line(at, text))
        at += _sleep_of(words)
        index += 1
    return lines


def _sleep_of(words: list[str]) -> float:
    if words[0] != "sleep" or len(words) < 2:
        return 0.0
    try:
        return float(words[1].rstrip("s"))
    except ValueError:
        return 0.0


def script_of(argv: list[str]) -> str | None:
    """The script of `sh -c SCRIPT` (or `/bin/sh -c`), if that is what runs."""
    if len(argv) >= 3 and posixpath.basename(argv[0]) in SHELLS and argv[1] == "-c":
        return argv[2]
    return None


def crash_line(run: ContainerRun) -> str:
    return (
        f"Error: {_repository(run.image)[0]} could not start: mkctl makes this container exit "
        "with code 1 (an image reference containing `crashloop`, or the pod's "
        "mkctl.dev/outcome annotation)"
    )


def run_lines(run: ContainerRun, until: float, finished_at: float | None) -> list[Line]:
    """Every line the run wrote up to `until` (its end, if it has ended)."""
    end = min(until, finished_at) if finished_at is not None else until
    script = script_of(run.argv)
    repo, _ = _repository(run.image)
    if script is not None:
        lines = shell_lines(script, run, end)
    elif repo in IMAGE_PROGRAMS:  # the image's own program, whatever its arguments
        lines = IMAGE_PROGRAMS[repo](run)
    else:
        lines = []
    lines = [line for line in lines if line.at <= end]
    says_why = repo == "nginx" and script is None  # nginx prints its own [emerg]
    if run.crashed and finished_at is not None and finished_at <= until and not says_why:
        lines.append(Line(finished_at, crash_line(run)))
    return lines
