// mkctl's dashboard: log in with the one-time code, watch the namespace's workloads, pods,
// services and events through the REST API, and redraw the graph and the timeline once per
// animation frame after any change. A browser opens at most six HTTP/1.1 connections to one
// server, so the page holds five watches (the chosen workload kind and its revisions, pods,
// services, events) and leaves one connection free.

import { get, login, TABLE, watch } from "./api.js";
import { showDetails } from "./details.js";
import { Graph } from "./graph.js";
import { Timeline } from "./timeline.js";

const APPS = "/apis/apps/v1", CORE = "/api/v1";
const VIEWS = {
  deployments: { owner: "Deployment", group: "ReplicaSet", paths: [["Deployment", APPS, "deployments"], ["ReplicaSet", APPS, "replicasets"]] },
  statefulsets: { owner: "StatefulSet", group: "ControllerRevision", paths: [["StatefulSet", APPS, "statefulsets"], ["ControllerRevision", APPS, "controllerrevisions"]] },
  daemonsets: { owner: "DaemonSet", group: "ControllerRevision", paths: [["DaemonSet", APPS, "daemonsets"], ["ControllerRevision", APPS, "controllerrevisions"]] },
};
const COMMON = [["Pod", CORE, "pods", TABLE], ["Service", CORE, "services"], ["Event", CORE, "events"]];
const KINDS = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ControllerRevision", "Pod", "Service", "Event"];

const $ = (id) => document.getElementById(id);
const state = Object.fromEntries(KINDS.map((k) => [k, new Map()]));
const cells = new Map();  // pod uid -> {ready, status, restarts, node}: the server's Table cells
const timeline = new Timeline($("timeline"));
const graph = new Graph($("graph"), select);
const page = { renders: 0, lastRender: 0, selected: null };
window.mkctlDashboard = page;  // what the end-to-end tests read
let controller = null, pending = false, view = VIEWS.deployments;

function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(render);
}

function render() {
  pending = false;
  const started = performance.now();
  const width = $("graph-section").clientWidth;
  const shown = graph.render(state, cells, view, width);
  $("empty").hidden = shown > 0;
  timeline.render(width, Date.now());
  if (page.selected) {
    const obj = state[page.selected.kind].get(page.selected.uid);
    if (obj) showDetails($("details"), obj, [...state.Event.values()]);
  }
  page.renders += 1;
  page.lastRender = performance.now();
  page.renderMs = page.lastRender - started;
}

function select(kind, uid) {
  if (!kind || !state[kind].has(uid)) return;
  page.selected = { kind, uid };
  showDetails($("details"), state[kind].get(uid), [...state.Event.values()]);
}

// What one watch does with its events: keep the objects of its kind current.
function sink(kind) {
  let columns = null;
  let fresh = null;  // uids seen since a fresh start, to drop the ones that are gone
  return {
    reset() { fresh = new Set(); },
    synced() {
      for (const uid of [...state[kind].keys()]) if (!fresh.has(uid)) state[kind].delete(uid);
      fresh = null;
      schedule();
    },
    event(type, object) {
      let obj = object;
      if (object.kind === "Table") {
        columns = object.columnDefinitions || columns;
        const row = object.rows[0];
        obj = row.object;
        const named = Object.fromEntries(columns.map((c, i) => [c.name.toLowerCase(), row.cells[i]]));
        cells.set(obj.metadata.uid, { ready: named.ready, status: named.status, restarts: named.restarts, node: named.node === "<none>" ? "" : named.node });
      }
      obj.kind = obj.kind || kind;
      const uid = obj.metadata.uid;
      if (fresh) fresh.add(uid);
      if (type === "DELETED") {
        state[kind].delete(uid);
        cells.delete(uid);
      } else {
        state[kind].set(uid, obj);
      }
      if (kind === "ReplicaSet") timeline.replicaSet(obj, Date.now());
      if (kind === "Event") timeline.event(obj);
      schedule();
    },
  };
}

function connection(live) {
  $("connection").dataset.state = live ? "live" : "connecting";
  $("connection").textContent = live ? "live" : "reconnecting…";
}

function start() {
  if (controller) controller.abort();
  controller = new AbortController();
  view = VIEWS[$("workloads").value];
  $("timeline-section").hidden = view.group !== "ReplicaSet";  // the timeline is ReplicaSets
  for (const map of Object.values(state)) map.clear();
  cells.clear();
  timeline.reset();
  page.selected = null;
  $("details").hidden = true;
  const namespace = encodeURIComponent($("namespace").value);
  const params = new URLSearchParams(location.search);
  params.set("namespace", $("namespace").value);
  params.set("workloads", $("workloads").value);
  history.replaceState(null, "", `?${params}`);
  for (const [kind, root, plural, accept] of [...view.paths, ...COMMON]) {
    watch(`${root}/namespaces/${namespace}/${plural}`, accept || "application/json", sink(kind), controller.signal, connection);
  }
  schedule();
}

function exportSvg() {
  const copy = $("graph").cloneNode(true);
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = [...document.styleSheets].flatMap((s) => [...s.cssRules]).map((r) => r.cssText)
    .filter((text) => text.startsWith(":root") || text.startsWith("svg")).join("\n");
  copy.prepend(style);
  copy.querySelectorAll(".gone").forEach((g) => g.remove());
  const blob = new Blob([new XMLSerializer().serializeToString(copy)], { type: "image/svg+xml" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `mkctl-${$("namespace").value}-${$("workloads").value}.svg`;
  link.click();
  URL.revokeObjectURL(link.href);
}

async function main() {
  try {
    await login();
  } catch (error) {
    $("login-error").textContent = error.message;
    $("login-error").hidden = false;
    return;
  }
  const params = new URLSearchParams(location.search);
  const wanted = params.get("namespace") || "default";
  const namespaces = await get(`${CORE}/namespaces`);
  const names = namespaces.items.map((n) => n.metadata.name);
  if (!names.includes(wanted)) names.push(wanted);
  $("namespace").replaceChildren(...names.sort().map((name) => new Option(name, name, false, name === wanted)));
  if (VIEWS[params.get("workloads")]) $("workloads").value = params.get("workloads");
  $("namespace").addEventListener("change", start);
  $("workloads").addEventListener("change", start);
  $("export").addEventListener("click", exportSvg);
  $("close-details").addEventListener("click", () => { $("details").hidden = true; page.selected = null; });
  window.addEventListener("resize", schedule);
  setInterval(() => { if (!document.hidden) timeline.render($("graph-section").clientWidth, Date.now()); }, 1000);
  start();
}

main();
