// The panel an object's box opens: its describe-style conditions (and, for a pod, its
// containers' states), the events about it, and its YAML as `mkctl get -o yaml` shows it
// (managedFields hidden).

import { escape } from "./timeline.js";

export function showDetails(panel, obj, events) {
  panel.hidden = false;
  panel.dataset.kind = obj.kind;
  panel.dataset.name = obj.metadata.name;
  panel.querySelector("#details-title").textContent = `${obj.kind}/${obj.metadata.name}`;
  const status = obj.status || {};
  const conditions = (status.conditions || []).map((c) =>
    [c.type, c.status, c.reason || "", c.message || "", c.lastTransitionTime || ""]);
  let html = table(["Type", "Status", "Reason", "Message", "Since"], conditions);
  if (obj.kind === "Pod") {
    const containers = (status.containerStatuses || []).map((c) => {
      const [state, detail] = Object.entries(c.state || {})[0] || ["", {}];
      return [c.name, c.image, `${state}${detail.reason ? `: ${detail.reason}` : ""}`, String(c.ready), String(c.restartCount)];
    });
    html += table(["Container", "Image", "State", "Ready", "Restarts"], containers);
  }
  panel.querySelector("#details-conditions").innerHTML = html;
  const about = events
    .filter((e) => (e.involvedObject || {}).uid === obj.metadata.uid)
    .sort((a, b) => (a.lastTimestamp || "").localeCompare(b.lastTimestamp || ""))
    .map((e) => [e.type, e.reason, e.lastTimestamp || e.eventTime || "", String(e.count || 1), e.message || ""]);
  panel.querySelector("#details-events").innerHTML = about.length
    ? table(["Type", "Reason", "Last seen", "Count", "Message"], about) : "<p>&lt;none&gt;</p>";
  const shown = structuredClone(obj);
  delete shown.metadata.managedFields;
  panel.querySelector("#details-yaml").textContent = yaml(shown, "").slice(1);
}

function table(headers, rows) {
  if (!rows.length) return "<p>&lt;none&gt;</p>";
  const cells = (row, tag) => row.map((c) => `<${tag}>${escape(c)}</${tag}>`).join("");
  return `<table><tr>${cells(headers, "th")}</tr>${rows.map((r) => `<tr>${cells(r, "td")}</tr>`).join("")}</table>`;
}

// YAML as sigs.k8s.io/yaml writes JSON objects: keys sorted, block style, strings quoted
// when they would read as something else.
export function yaml(value, indent) {
  if (Array.isArray(value)) {
    if (!value.length) return "[]\n";
    return "\n" + value.map((v) => `${indent}- ${yaml(v, indent + "  ").replace(/^\n\s*/, "")}`).join("");
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    if (!keys.length) return "{}\n";
    return "\n" + keys.map((k) => `${indent}${scalar(k)}:${block(value[k], indent)}`).join("");
  }
  return `${scalar(value)}\n`;
}

function block(v, indent) {
  if (Array.isArray(v) && v.length) return yaml(v, indent);
  if (v && typeof v === "object" && Object.keys(v).length) return yaml(v, indent + "  ");
  return ` ${yaml(v, indent)}`;
}

function scalar(v) {
  if (v === null || v === undefined) return "null";
  if (typeof v !== "string") return String(v);
  const plain = /^[A-Za-z_./][\w./-]*( [\w./-]+)*$/.test(v) && !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}
