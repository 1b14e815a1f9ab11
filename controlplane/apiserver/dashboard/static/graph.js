// The ownership graph as inline SVG: each owner (Deployment, StatefulSet, DaemonSet), its
// revisions (ReplicaSets, or ControllerRevisions and the pods labelled with them) and their
// pods, then the Services with the pods they select. Elements are keyed by uid and only
// moved or relabelled on a change, so a graph of a thousand pods redraws in milliseconds;
// a pod that is gone fades out where it stood.

const SVG = "http://www.w3.org/2000/svg";
const MARGIN = 16, INDENT = 24, OWNER_H = 50, GROUP_W = 310, GROUP_H = 62;
const POD_W = 172, POD_H = 52, GAP = 8, FADE_MS = 1000;
const REVISION = "deployment.kubernetes.io/revision";

// A pod's state: its class (colour) and its mark, which stands in for the colour.
const MARKS = { ready: "✓", progress: "…", failed: "✗", terminating: "⌫", done: "■" };
const FAILED = /BackOff|ErrImage|Err|Error|Failed|Invalid|OOMKilled|Evicted|Unknown/;

export function podState(pod, cells) {
  const status = cells.status || (pod.status || {}).phase || "Pending";
  if (pod.metadata.deletionTimestamp || status === "Terminating") return "terminating";
  if (FAILED.test(status)) return "failed";
  if (status === "Completed" || status === "Succeeded") return "done";
  const [have, want] = (cells.ready || "0/1").split("/");
  return status === "Running" && have === want ? "ready" : "progress";
}

function revisionOf(obj) {
  if (obj.kind === "ControllerRevision") return String(obj.revision ?? "");
  return ((obj.metadata.annotations || {})[REVISION]) || "";
}

function ownerUid(obj) {
  const ref = (obj.metadata.ownerReferences || []).find((r) => r.controller);
  return ref ? ref.uid : "";
}

function images(obj) {
  const spec = ((obj.spec || {}).template || {}).spec || (obj.data || {}).spec?.template?.spec || {};
  return (spec.containers || []).map((c) => c.image).join(", ");
}

function strategy(owner) {
  const spec = owner.spec || {};
  const s = spec.strategy || spec.updateStrategy || {};
  const rolling = s.rollingUpdate || {};
  const bounds = [];
  if (rolling.maxSurge !== undefined) bounds.push(`maxSurge ${rolling.maxSurge}`);
  if (rolling.maxUnavailable !== undefined) bounds.push(`maxUnavailable ${rolling.maxUnavailable}`);
  if (rolling.partition) bounds.push(`partition ${rolling.partition}`);
  return (s.type || "") + (bounds.length ? ` (${bounds.join(", ")})` : "");
}

function ownerLines(owner) {
  const status = owner.status || {};
  const spec = owner.spec || {};
  const progress = (status.conditions || []).find((c) => c.type === "Progressing");
  if (owner.kind === "DaemonSet") {
    return [`${strategy(owner)} · ${images(owner)}`,
      `${status.numberReady || 0}/${status.desiredNumberScheduled || 0} ready · ` +
      `${status.updatedNumberScheduled || 0} up-to-date · ${status.numberAvailable || 0} available`];
  }
  const revision = revisionOf(owner);
  return [`${revision ? `revision ${revision} · ` : ""}${strategy(owner)} · ${images(owner)}`,
    `${status.readyReplicas || 0}/${spec.replicas ?? 1} ready · ${status.updatedReplicas || 0} up-to-date · ` +
    `${status.availableReplicas || 0} available${progress ? ` · ${progress.reason}` : ""}` +
    (spec.paused ? " · paused" : "")];
}

function groupLines(group, pods, setStatus) {
  if (group.kind === "ReplicaSet") {
    const spec = group.spec || {}, status = group.status || {};
    return [`revision ${revisionOf(group)} · ${images(group)}`,
      `desired ${spec.replicas ?? 0} · current ${status.replicas || 0} · ready ${status.readyReplicas || 0}`];
  }
  if (group.kind === "ControllerRevision") {
    const name = group.metadata.name;
    const role = [name === setStatus.currentRevision && "current", name === setStatus.updateRevision && "update"]
      .filter(Boolean).join(", ");
    return [`revision ${revisionOf(group)}${role ? ` (${role})` : ""} · ${images(group)}`,
      `${pods.length} pod${pods.length === 1 ? "" : "s"} at this revision`];
  }
  return ["", `${pods.length} pod${pods.length === 1 ? "" : "s"}`];
}

// owner -> groups -> pods, from the objects the watches hold.
export function ownershipOf(state, view) {
  const podsBy = new Map();
  const claimed = new Set();
  for (const pod of state.Pod.values()) {
    const uid = ownerUid(pod);
    if (!podsBy.has(uid)) podsBy.set(uid, []);
    podsBy.get(uid).push(pod);
  }
  const byName = (a, b) => a.metadata.name.localeCompare(b.metadata.name);
  const byRevision = (a, b) => (Number(revisionOf(a)) - Number(revisionOf(b))) || byName(a, b);
  const trees = [];
  for (const owner of [...state[view.owner].values()].sort(byName)) {
    const uid = owner.metadata.uid;
    const groups = [];
    if (view.group === "ReplicaSet") {
      for (const rs of [...state.ReplicaSet.values()].filter((g) => ownerUid(g) === uid).sort(byRevision)) {
        const pods = podsBy.get(rs.metadata.uid) || [];
        pods.forEach((p) => claimed.add(p.metadata.uid));
        groups.push({ object: rs, pods });
      }
    } else {
      const own = podsBy.get(uid) || [];
      own.forEach((p) => claimed.add(p.metadata.uid));
      const revisions = [...state.ControllerRevision.values()].filter((r) => ownerUid(r) === uid).sort(byRevision);
      const label = (p) => (p.metadata.labels || {})["controller-revision-hash"] || "";
      for (const cr of revisions) {
        const name = cr.metadata.name;
        groups.push({ object: cr, pods: own.filter((p) => label(p) === name || name.endsWith(`-${label(p)}`)) });
      }
      const placed = new Set(groups.flatMap((g) => g.pods));
      const rest = own.filter((p) => !placed.has(p));
      if (rest.length) groups.push({ object: null, title: "pods of no known revision", pods: rest });
    }
    const status = owner.status || {};
    trees.push({ owner, groups, setStatus: status });
  }
  const loose = [...state.Pod.values()].filter((p) => !claimed.has(p.metadata.uid) && !ownerUid(p));
  return { trees, loose };
}

function selects(service, pod) {
  const selector = (service.spec || {}).selector;
  if (!selector || !Object.keys(selector).length) return false;
  const labels = pod.metadata.labels || {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export class Graph {
  constructor(svg, onSelect) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.elements = new Map();  // key -> {g, texts, shown}
    this.edges = document.createElementNS(SVG, "path");
    this.edges.setAttribute("class", "edge");
    svg.append(this.edges);
    svg.addEventListener("click", (e) => this.clicked(e));
    svg.addEventListener("keydown", (e) => { if (e.key === "Enter") this.clicked(e); });
  }

  clicked(event) {
    const g = event.target.closest("g.box");
    if (g) this.onSelect(g.dataset.kind, g.dataset.uid);
  }

  // One box: created once, then moved and relabelled only when something changed.
  box(key, cls, x, y, w, h, lines, data) {
    let entry = this.elements.get(key);
    if (!entry) {
      const g = document.createElementNS(SVG, "g");
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("rx", "5");
      g.append(rect);
      const texts = lines.map((_, i) => {
        const t = document.createElementNS(SVG, "text");
        t.setAttribute("x", "8");
        t.setAttribute("y", String(17 + i * 15));
        t.setAttribute("class", i === 0 ? "title" : cls.startsWith("box pod") && i === 1 ? "state" : "sub");
        g.append(t);
        return t;
      });
      g.setAttribute("tabindex", "0");
      this.svg.append(g);
      entry = { g, rect, texts, cls: "", pos: "", size: "", labels: [], data: "" };
      this.elements.set(key, entry);
    }
    entry.seen = true;
    if (entry.cls !== cls) { entry.g.setAttribute("class", cls); entry.cls = cls; }
    const pos = `translate(${x},${y})`;
    if (entry.pos !== pos) { entry.g.setAttribute("transform", pos); entry.pos = pos; }
    const size = `${w}x${h}`;
    if (entry.size !== size) {
      entry.rect.setAttribute("width", String(w));
      entry.rect.setAttribute("height", String(h));
      entry.size = size;
    }
    lines.forEach((line, i) => {
      if (entry.labels[i] !== line) { entry.texts[i].textContent = line; entry.labels[i] = line; }
    });
    const dataKey = JSON.stringify(data);
    if (entry.data !== dataKey) {
      for (const [k, v] of Object.entries(data)) entry.g.dataset[k] = v;
      entry.data = dataKey;
    }
  }

  render(state, cells, view, width) {
    for (const entry of this.elements.values()) entry.seen = false;
    const { trees, loose } = ownershipOf(state, view);
    const podsX = MARGIN + INDENT + GROUP_W + INDENT;
    const columns = Math.max(1, Math.floor((width - podsX - MARGIN + GAP) / (POD_W + GAP)));
    const edges = [];
    let y = MARGIN;
    const drawPods = (pods, groupName, top) => {
      pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      pods.forEach((pod, i) => {
        const c = cells.get(pod.metadata.uid) || {};
        const state = podState(pod, c);
        const status = pod.metadata.deletionTimestamp ? "Terminating" : c.status || (pod.status || {}).phase;
        const name = pod.metadata.name;
        const short = groupName && name.startsWith(`${groupName}-`) ? name.slice(groupName.length + 1) : name;
        this.box(`Pod/${pod.metadata.uid}`, `box pod ${state}`,
          podsX + (i % columns) * (POD_W + GAP), top + Math.floor(i / columns) * (POD_H + GAP), POD_W, POD_H,
          [short, `${MARKS[state]} ${status} ${c.ready || ""}`, `↻ ${c.restarts ?? 0} · ${c.node || (pod.spec || {}).nodeName || "unscheduled"}`],
          { kind: "Pod", uid: pod.metadata.uid, name, owner: groupName || "", state, status: status || "" });
      });
      return pods.length ? Math.ceil(pods.length / columns) * (POD_H + GAP) - GAP : 0;
    };
    for (const { owner, groups, setStatus } of trees) {
      const ownerTop = y;
      const [line1, line2] = ownerLines(owner);
      this.box(`${owner.kind}/${owner.metadata.uid}`, "box owner", MARGIN, y, width - 2 * MARGIN, OWNER_H,
        [`${owner.kind}/${owner.metadata.name}`, line1, line2],
        { kind: owner.kind, uid: owner.metadata.uid, name: owner.metadata.name, revision: revisionOf(owner) });
      y += OWNER_H + GAP * 2;
      for (const group of groups) {
        const gx = MARGIN + INDENT;
        const podsHeight = drawPods(group.pods, group.object ? group.object.metadata.name : "", y);
        if (group.object) {
          const g = group.object;
          const idle = g.kind === "ReplicaSet" ? !(g.spec || {}).replicas && !(g.status || {}).replicas : !group.pods.length;
          this.box(`${g.kind}/${g.metadata.uid}`, `box group${idle ? " idle" : ""}`, gx, y, GROUP_W, GROUP_H,
            [`${g.kind}/${g.metadata.name}`, ...groupLines(g, group.pods, setStatus)],
            { kind: g.kind, uid: g.metadata.uid, name: g.metadata.name, revision: revisionOf(g), pods: String(group.pods.length) });
        } else {
          this.box(`${owner.metadata.uid}/loose`, "box group idle", gx, y, GROUP_W, GROUP_H,
            [group.title, ...groupLines({}, group.pods, setStatus)], { kind: "", uid: "", name: "" });
        }
        edges.push(`M${MARGIN + INDENT / 2},${ownerTop + OWNER_H}V${y + GROUP_H / 2}H${gx}`);
        if (group.pods.length) edges.push(`M${gx + GROUP_W},${y + GROUP_H / 2}H${podsX}`);
        y += Math.max(GROUP_H, podsHeight) + GAP * 2;
      }
      y += GAP * 2;
    }
    if (loose.length) {
      this.box("loose", "box group idle", MARGIN + INDENT, y, GROUP_W, GROUP_H,
        ["Pods without a controller", "", `${loose.length} pod${loose.length === 1 ? "" : "s"}`], { kind: "", uid: "", name: "" });
      y += Math.max(GROUP_H, drawPods(loose, "", y)) + GAP * 3;
    }
    for (const service of [...state.Service.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const spec = service.spec || {};
      const chosen = [...state.Pod.values()].filter((p) => selects(service, p));
      const ready = chosen.filter((p) => podState(p, cells.get(p.metadata.uid) || {}) === "ready");
      const ports = (spec.ports || []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol || "TCP"}`).join(",");
      this.box(`Service/${service.metadata.uid}`, "box service", MARGIN, y, width - 2 * MARGIN, OWNER_H,
        [`Service/${service.metadata.name}`, `${spec.type || "ClusterIP"} ${spec.clusterIP || ""} ${ports}`,
          !Object.keys(spec.selector || {}).length ? "no selector: its endpoints are not chosen by labels" :
          `endpoints: ${ready.length} ready of ${chosen.length} selected pods` +
          (ready.length ? ` (${ready.slice(0, 6).map((p) => p.metadata.name).join(", ")}${ready.length > 6 ? ", …" : ""})` : "")],
        { kind: "Service", uid: service.metadata.uid, name: service.metadata.name, endpoints: String(ready.length) });
      y += OWNER_H + GAP * 2;
    }
    this.edges.setAttribute("d", edges.join(""));
    this.svg.setAttribute("width", String(width));
    this.svg.setAttribute("height", String(Math.max(y, 40)));
    this.svg.setAttribute("viewBox", `0 0 ${width} ${Math.max(y, 40)}`);
    for (const [key, entry] of this.elements) {
      if (entry.seen || entry.fading) continue;
      if (entry.cls.includes(" pod ")) {  // a pod that is gone fades where it stood
        entry.fading = true;
        entry.g.classList.add("gone");
        entry.g.dataset.state = "gone";
        setTimeout(() => { entry.g.remove(); this.elements.delete(key); }, FADE_MS);
      } else {
        entry.g.remove();
        this.elements.delete(key);
      }
    }
    return trees.length + loose.length;  // what the empty note stands in for
  }
}
