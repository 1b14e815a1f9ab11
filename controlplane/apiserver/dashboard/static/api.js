// The daemon's REST API as the page uses it: the bearer token (from a one-time login
// code), GETs, and ?watch=1 streams read line by line (one JSON watch event per line).

const TOKEN_KEY = "mkctl-dashboard-token";

// Exchange the URL fragment's one-time code for the token; keep the token for this tab only.
export async function login() {
  const code = new URLSearchParams(location.hash.slice(1)).get("code");
  if (code) {
    history.replaceState(null, "", location.pathname + location.search);
    const answer = await fetch("session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
    const body = await answer.json();
    if (!answer.ok) throw new Error(body.message);
    sessionStorage.setItem(TOKEN_KEY, body.token);
  }
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    throw new Error("this page needs a login code: run 'mkctl dashboard' for a link");
  }
}

function headers(accept) {
  return { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`, Accept: accept };
}

export async function get(path, accept = "application/json") {
  const answer = await fetch(path, { headers: headers(accept) });
  const body = await answer.json();
  if (!answer.ok) throw new Error(body.message || answer.statusText);
  return body;
}

// Pods travel as one-row Tables (with the object) so that READY, STATUS and RESTARTS are
// the server's own cells, exactly what `mkctl get pods` prints.
export const TABLE = "application/json;as=Table;g=meta.k8s.io;v=v1,application/json";

const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

// Watch one collection for as long as `signal` is not aborted: the current objects first
// (sendInitialEvents, ended by a bookmark), then every change; a closed stream resumes from
// the last resourceVersion, a 410 Expired starts again from the current objects.
// `sink.reset()` opens a fresh start, `sink.event(type, object)` takes each change and
// `sink.synced()` marks the end of the initial objects.
export async function watch(path, accept, sink, signal, onState) {
  let resourceVersion = "";
  while (!signal.aborted) {
    const query = new URLSearchParams({ watch: "1", allowWatchBookmarks: "true" });
    if (accept === TABLE) query.set("includeObject", "Object");
    if (resourceVersion) {
      query.set("resourceVersion", resourceVersion);
    } else {
      query.set("sendInitialEvents", "true");
      query.set("resourceVersionMatch", "NotOlderThan");
      sink.reset();
    }
    try {
      const answer = await fetch(`${path}?${query}`, { headers: headers(accept), signal });
      if (!answer.ok) throw new Error(`${answer.status} ${answer.statusText}`);
      onState(true);
      for await (const event of lines(answer.body)) {
        const object = event.object || {};
        const meta = object.metadata || {};
        if (event.type === "ERROR") {
          resourceVersion = "";  // 410 Expired, or anything else: start again
          break;
        }
        if (meta.resourceVersion) resourceVersion = meta.resourceVersion;
        if (event.type === "BOOKMARK") {
          if ((meta.annotations || {})[INITIAL_EVENTS_END] === "true") sink.synced();
          continue;
        }
        sink.event(event.type, object);
      }
    } catch (error) {
      if (signal.aborted) return;
      onState(false);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function* lines(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (line) yield JSON.parse(line);
    }
  }
}
