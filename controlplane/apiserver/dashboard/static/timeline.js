// The rollout timeline: for each ReplicaSet, its desired replicas (solid) and ready ones
// (dotted) over time, from what the watch saw and, before the page opened, from the
// ScalingReplicaSet events ("Scaled up replica set web-abc from 1 to 2"), so a rolling
// update's surge and a stuck rollout's flat line are visible. Each series also carries a
// dash pattern and a label, for reading without colour.

const SVG = "http://www.w3.org/2000/svg";
const SCALED = /^Scaled (up|down) replica set (\S+) (?:to (\d+)|from (\d+) to (\d+))/;
const WINDOW_MS = 15 * 60 * 1000, MIN_SPAN_MS = 20 * 1000, HEIGHT = 180, LEFT = 40, RIGHT = 300, TOP = 12, BOTTOM = 24;

export class Timeline {
  constructor(svg) {
    this.svg = svg;
    this.series = new Map();  // ReplicaSet name -> {desired: [[t, n]], ready: [[t, n]], revision}
    this.markers = [];  // [t, up, message]
  }

  reset() { this.series.clear(); this.markers = []; }

  line(name) {
    if (!this.series.has(name)) this.series.set(name, { desired: [], ready: [], revision: "" });
    return this.series.get(name);
  }

  replicaSet(rs, now) {
    const s = this.line(rs.metadata.name);
    s.revision = (rs.metadata.annotations || {})["deployment.kubernetes.io/revision"] || s.revision;
    push(s.desired, now, (rs.spec || {}).replicas ?? 0);
    push(s.ready, now, (rs.status || {}).readyReplicas || 0);
  }

  event(ev) {
    const match = ev.reason === "ScalingReplicaSet" && SCALED.exec(ev.message || "");
    if (!match) return;
    const t = Date.parse(ev.lastTimestamp || ev.eventTime || ev.firstTimestamp || ev.metadata.creationTimestamp);
    if (this.markers.some((m) => m[0] === t && m[2] === ev.message)) return;
    const to = Number(match[3] ?? match[5]);
    this.markers.push([t, match[1] === "up", ev.message]);
    const s = this.line(match[2]);
    if (match[4] !== undefined) insert(s.desired, t - 1, Number(match[4]));
    insert(s.desired, t, to);
  }

  render(width, now) {
    const svg = this.svg;
    const lines = [...this.series.entries()].filter(([, s]) => s.desired.length);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(HEIGHT));
    svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
    const first = Math.min(...lines.map(([, s]) => s.desired[0][0]));
    const start = Math.max(now - WINDOW_MS, Math.min(now - MIN_SPAN_MS, first - 2000));
    const top = Math.max(1, ...lines.flatMap(([, s]) => s.desired.map((p) => p[1])));
    const x = (t) => LEFT + ((Math.max(t, start) - start) / (now - start)) * (width - LEFT - RIGHT);
    const y = (n) => HEIGHT - BOTTOM - (n / top) * (HEIGHT - TOP - BOTTOM);
    const parts = [
      `<path class="axis" d="M${LEFT},${TOP}V${HEIGHT - BOTTOM}H${width - RIGHT}"/>`,
      `<text class="sub" x="4" y="${y(top) + 4}">${top}</text>`,
      `<text class="sub" x="4" y="${y(0) + 4}">0</text>`,
      `<text class="sub" x="${LEFT}" y="${HEIGHT - 6}">${new Date(start).toLocaleTimeString()}</text>`,
      `<text class="sub" x="${width - RIGHT - 60}" y="${HEIGHT - 6}">now</text>`,
    ];
    lines.sort((a, b) => Number(a[1].revision) - Number(b[1].revision)).forEach(([name, s], i) => {
      const cls = `series-${i % 6}`;
      const dash = ["", "6 3", "2 2", "8 2 2 2", "1 3", "4 4"][i % 6];
      parts.push(`<path class="desired ${cls}" stroke-dasharray="${dash}" d="${steps(s.desired, now, x, y)}"/>`);
      if (s.ready.length) parts.push(`<path class="ready ${cls}" d="${steps(s.ready, now, x, y)}"/>`);
      const last = s.desired[s.desired.length - 1][1];
      const ly = TOP + 10 + i * 15;
      parts.push(`<path class="desired ${cls}" stroke-dasharray="${dash}" d="M${width - RIGHT + 8},${ly - 4}h24"/>`);
      parts.push(`<text x="${width - RIGHT + 38}" y="${ly}" data-series="${name}">` +
        `${escape(name)} rev ${s.revision || "?"}: ${last}</text>`);
    });
    for (const [t, up, message] of this.markers) {
      if (t < start) continue;
      parts.push(`<text class="marker" x="${x(t) - 4}" y="${TOP + 2}"><title>${escape(message)}</title>${up ? "▲" : "▼"}</text>`);
    }
    svg.innerHTML = parts.join("");
  }
}

function push(points, t, n) {
  if (!points.length || points[points.length - 1][1] !== n) points.push([t, n]);
}

function insert(points, t, n) {
  const at = points.findIndex((p) => p[0] > t);
  points.splice(at < 0 ? points.length : at, 0, [t, n]);
}

function steps(points, now, x, y) {
  let d = `M${x(points[0][0])},${y(points[0][1])}`;
  for (let i = 1; i < points.length; i++) d += `H${x(points[i][0])}V${y(points[i][1])}`;
  return `${d}H${x(now)}`;
}

export function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
