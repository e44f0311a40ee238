/* powderkeg dashboard: DOM and SVG helpers, and the two charts (timeline, tension).
   Everything from the API is put in the page as text (textContent, attributes), never as HTML. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAll(node, attrs);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAll(node, attrs);
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAll(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
}

/* Only web addresses become links: a "javascript:" URL in an article stays text. */
function safeHref(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

function dayNumber(iso) { return Date.parse(iso + "T00:00:00Z") / 86400000; }

const STEP_DAYS = { day: 1, week: 7, month: 30.5 };

function frame(width, height, pad) {
  return { width, height, pad, inner: width - pad.left - pad.right, tall: height - pad.top - pad.bottom };
}

function axisLabels(g, f, lo, hi, x) {
  const span = Math.max(hi - lo, 1);
  const ticks = Math.min(6, Math.max(2, Math.round(f.inner / 110)));
  for (let i = 0; i <= ticks; i++) {
    const day = lo + (span * i) / ticks;
    const label = new Date(day * 86400000).toISOString().slice(0, 10);
    g.append(svg("text", { class: "axis", x: x(day), y: f.height - 4, "text-anchor": "middle", text: label }));
  }
}

/* Stacked bars of fused events per period, one colour per quad class. */
function timelineChart(periods, by, onPick) {
  const f = frame(720, 180, { left: 30, right: 10, top: 8, bottom: 18 });
  const root = svg("svg", { viewBox: `0 0 ${f.width} ${f.height}`, role: "img", "aria-label": "events per period" });
  if (!periods.length) return el("p", { class: "hint", text: "No events match these filters." });
  const days = periods.map((p) => dayNumber(p.period));
  const step = STEP_DAYS[by] || 1;
  const lo = Math.min(...days), hi = Math.max(...days) + step;
  const x = (d) => f.pad.left + ((d - lo) / (hi - lo)) * f.inner;
  const top = Math.max(...periods.map((p) => p.total));
  const y = (n) => (n / top) * f.tall;
  const width = Math.max(1.5, x(lo + step) - x(lo) - 1);
  for (const p of periods) {
    let base = f.height - f.pad.bottom;
    for (const quad of ["1", "2", "3", "4", "0"]) {
      const n = p.by_quad[quad] || 0;
      if (!n) continue;
      const h = y(n);
      base -= h;
      const bar = svg("rect", { class: `bar q${quad}`, x: x(dayNumber(p.period)), y: base, width, height: h,
        "data-period": p.period, onclick: () => onPick && onPick(p) });
      bar.append(svg("title", { text: `${p.period}: ${n} (quad ${quad}), ${p.total} in all` }));
      root.append(bar);
    }
  }
  root.append(svg("text", { class: "axis", x: 2, y: f.pad.top + 8, text: String(top) }));
  axisLabels(root, f, lo, hi, x);
  return root;
}

/* Tension readings: bars (red when escalating), hatched marks where coverage is insufficient. */
function tensionChart(data, onPick) {
  const f = frame(720, 180, { left: 34, right: 10, top: 8, bottom: 18 });
  const readings = data.readings;
  const root = svg("svg", { viewBox: `0 0 ${f.width} ${f.height}`, role: "img", "aria-label": `tension ${data.key}` });
  const defs = svg("defs", {}, svg("pattern", { id: "hatch", width: 4, height: 4, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" }, svg("rect", { width: 2, height: 4, fill: "#9aa3b2" })));
  root.append(defs);
  if (!readings.length) return el("p", { class: "hint", text: `No readings for ${data.key}.` });
  const step = STEP_DAYS[data.by] || 1;
  const days = readings.map((r) => dayNumber(r.period));
  const lo = Math.min(...days), hi = Math.max(...days) + step;
  const values = readings.filter((r) => r.index !== null).map((r) => r.index);
  const top = Math.max(1, ...values), bottom = Math.min(0, ...values);
  const x = (d) => f.pad.left + ((d - lo) / (hi - lo)) * f.inner;
  const y = (v) => f.pad.top + ((top - v) / (top - bottom)) * f.tall;
  const width = Math.max(2, x(lo + step) - x(lo) - 1);
  for (const r of readings) {
    const at = x(dayNumber(r.period));
    if (r.index === null) {
      const gap = svg("rect", { class: "gap", x: at, y: y(0) - 6, width, height: 6, "data-period": r.period });
      gap.append(svg("title", { text: `${r.period}: insufficient coverage` }));
      root.append(gap);
      continue;
    }
    const cls = "reading" + (r.escalating ? " escalation" : "") + (r.index < 0 ? " negative" : "");
    const bar = svg("rect", { class: cls, x: at, y: Math.min(y(r.index), y(0)), width,
      height: Math.max(1, Math.abs(y(r.index) - y(0))), "data-period": r.period,
      onclick: () => onPick && onPick(r) });
    bar.append(svg("title", { text: `${r.period}: index ${r.index}` + (r.z === null ? "" : `, z ${r.z}`)
      + (r.escalating ? " (ESCALATION)" : "") }));
    root.append(bar);
  }
  root.append(svg("line", { x1: f.pad.left, x2: f.width - f.pad.right, y1: y(0), y2: y(0), stroke: "#555" }));
  root.append(svg("text", { class: "axis", x: 2, y: y(top) + 8, text: top.toFixed(0) }));
  axisLabels(root, f, lo, hi, x);
  return root;
}
