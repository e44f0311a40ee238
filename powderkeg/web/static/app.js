/* powderkeg dashboard: map of fused events, timeline, tension, alerts, and each event's evidence.
   The URL's query string holds the view (filters, selected event, tension key), so it can be shared. */
"use strict";

const FILTERS = ["since", "until", "type", "country", "factuality", "text"];
const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "OTHER"];
const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const MAX_PAGES = 10;

const state = new URLSearchParams(location.search);
const token = sessionStorage.getItem("pk-token") || state.get("token");
if (state.get("token")) { sessionStorage.setItem("pk-token", state.get("token")); state.delete("token"); }

let map, cluster, markers = new Map();
let loadSeq = 0;

function saveState() {
  const query = state.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

async function api(path, params) {
  const query = params ? `?${new URLSearchParams(params)}` : "";
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(path + query, { headers });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.code || response.status}: ${body.detail || response.statusText}`);
  return body;
}

function filterParams() {
  const params = {};
  for (const name of FILTERS) if (state.get(name)) params[name] = state.get(name);
  return params;
}

function setStatus(text) { document.getElementById("status").textContent = text; }

/* -- filters ------------------------------------------------------------------------------- */

function initFilters() {
  const form = document.getElementById("filters");
  const select = form.elements.type;
  for (const t of TYPES) select.append(el("option", { value: t, text: t }));
  for (const name of FILTERS) form.elements[name].value = state.get(name) || "";
  let timer = null;
  const apply = () => {
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) state.set(name, value); else state.delete(name);
    }
    saveState();
    loadEvents();
  };
  form.addEventListener("change", apply);
  form.elements.text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 350); });
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  form.addEventListener("reset", () => setTimeout(apply, 0));
  document.getElementById("timeline-by").value = state.get("tl") || "week";
  document.getElementById("timeline-by").addEventListener("change", (e) => {
    state.set("tl", e.target.value); saveState(); loadTimeline(++loadSeq);
  });
}

/* -- map ----------------------------------------------------------------------------------- */

async function initMap() {
  map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12, attributionControl: true })
    .setView([44, 20], 5);
  map.attributionControl.setPrefix(false).addAttribution("Natural Earth (world-atlas)");
  const topo = await (await fetch("/static/vendor/world-atlas/countries-50m.json")).json();
  const shapes = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(shapes, { style: { color: "#b9c2cf", weight: 0.8, fillColor: "#fbfbf8", fillOpacity: 1 },
    interactive: false }).addTo(map);
  cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon });
  map.addLayer(cluster);
}

function dominantQuad(records) {
  const counts = {};
  for (const r of records) counts[r.quad_class] = (counts[r.quad_class] || 0) + 1;
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
}

function clusterIcon(group) {
  const records = group.getAllChildMarkers().map((m) => m.options.record);
  const n = records.length;
  const size = 26 + Math.min(24, Math.log2(n) * 5);
  const node = el("div", { class: `pk-cluster q${dominantQuad(records)}`, text: String(n) });
  node.style.width = node.style.height = `${size}px`;
  return L.divIcon({ html: node, className: "", iconSize: [size, size] });
}

function dateOf(record) {
  /* An undated article's fused event is kept in order by the day it was ingested: not its date. */
  return record.date && record.date_basis !== "ingested" ? record.date : "undated";
}

function dotIcon(record) {
  const size = 10 + Math.min(14, Math.log2(Math.max(1, record.n_sources)) * 5);
  const node = el("div", { class: `pk-dot q${record.quad_class}`, "data-id": record.id,
    title: `${record.type} ${dateOf(record)} (${record.n_sources} source${record.n_sources === 1 ? "" : "s"})` });
  node.style.width = node.style.height = `${size}px`;
  return L.divIcon({ html: node, className: "", iconSize: [size, size] });
}

function drawMarkers(records) {
  cluster.clearLayers();
  markers = new Map();
  const layers = [];
  for (const r of records) {
    if (!r.point) continue;
    const marker = L.marker([r.point.lat, r.point.lon], { icon: dotIcon(r), record: r, keyboard: true,
      title: `${r.type} ${dateOf(r)}` });
    marker.on("click", () => selectEvent(r.id));
    markers.set(r.id, marker);
    layers.push(marker);
  }
  cluster.addLayers(layers);
  const placed = layers.length;
  document.getElementById("map-count").textContent =
    `${placed} of ${records.length} events on the map` + (records.length > placed ? " (others have no place)" : "");
}

/* -- loading ------------------------------------------------------------------------------- */

async function loadEvents() {
  const seq = ++loadSeq;
  setStatus("loading…");
  try {
    const records = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await api("/fused", { ...filterParams(), page_size: 500, ...(cursor ? { cursor } : {}) });
      records.push(...body.items);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    if (seq !== loadSeq) return;
    drawMarkers(records);
    if (!state.get("event") && cluster.getLayers().length) map.fitBounds(cluster.getBounds().pad(0.2), { maxZoom: 7 });
    setStatus(`${records.length} events` + (cursor ? " (first pages only)" : ""));
    await loadTimeline(seq);
  } catch (err) {
    setStatus(String(err.message || err));
  }
}

async function loadTimeline(seq) {
  const by = state.get("tl") || "week";
  const body = await api("/timeline", { ...filterParams(), by });
  if (seq !== loadSeq) return;
  const total = body.periods.reduce((n, p) => n + p.total, 0);
  document.getElementById("timeline-total").textContent = `${total} events`;
  const chart = document.getElementById("timeline");
  chart.replaceChildren(timelineChart(body.periods, by));
  chart.dataset.total = String(total);
}

/* -- the event panel ----------------------------------------------------------------------- */

function highlighted(sentence, offset, evidence) {
  /* The sentence with each coded span marked; spans are offsets into the article text. */
  const node = el("div", { class: "sentence" });
  const spans = evidence.map((e) => ({ field: e.field, start: e.start - offset, end: e.end - offset }))
    .filter((s) => s.start >= 0 && s.end <= sentence.length && s.start < s.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue; // nested or overlapping: the outer span is shown
    node.append(sentence.slice(at, s.start));
    const field = s.field.split(".")[0];
    node.append(el("mark", { class: `f-${field}`, title: s.field, text: sentence.slice(s.start, s.end) }));
    at = s.end;
  }
  node.append(sentence.slice(at));
  return node;
}

function actorText(actor) {
  if (!actor) return "–";
  if (Array.isArray(actor)) return actor.map(actorText).join(" + ");
  const codes = [actor.org, actor.country, actor.sector].filter(Boolean).join("/");
  return codes ? `${actor.text} (${codes})` : actor.text;
}

function figuresTable(numbers) {
  const names = Object.keys(numbers || {});
  if (!names.length) return null;
  const rows = names.map((name) => {
    const s = numbers[name];
    const range = s.min === s.max ? String(s.min) : `${s.min}–${s.max}`;
    const by = Object.entries(s.by_report).map(([id, v]) => `${v} [${id.slice(0, 8)}]`).join(", ");
    return el("tr", {}, el("th", { text: name }), el("td", { class: s.min === s.max ? "" : "disagree", text: range }),
      el("td", { class: "meta", text: by }));
  });
  return el("table", { class: "figures" }, rows);
}

async function selectEvent(id) {
  state.set("event", id); state.delete("article"); saveState();
  for (const node of document.querySelectorAll(".pk-dot.selected")) node.classList.remove("selected");
  const panel = document.getElementById("panel");
  try {
    const f = await api(`/fused/${encodeURIComponent(id)}`);
    const dot = document.querySelector(`.pk-dot[data-id="${CSS.escape(f.id)}"]`);
    if (dot) dot.classList.add("selected");
    const dates = f.dates && f.dates.min !== f.dates.max ? ` (reports say ${f.dates.min} … ${f.dates.max})` : "";
    const places = [...new Set(Object.values(f.places || {}))];
    panel.replaceChildren(
      el("h3", {}, el("span", { class: `chip q${f.quad_class}`, text: QUAD_NAMES[f.quad_class] || "other" }), " ",
        `${f.type}${f.mode ? "/" + f.mode : ""}`),
      el("div", { class: "meta", text: `fused event ${f.id} · ${dateOf(f)}${dates} · ${f.factuality}`
        + ` · ${f.n_reports} report(s) from ${f.n_sources} article(s)` }),
      el("p", {}, el("b", { text: "who: " }), `${f.source.join("+") || "?"} → ${f.target.join("+") || "?"}`),
      el("p", {}, el("b", { text: "where: " }), places.join("; ") || (f.place && f.place.name) || "–"),
      figuresTable(f.numbers) || "",
      ...f.reports.map(reportBlock),
      el("details", {}, el("summary", { text: `merge log (${f.log.length})` }),
        el("ol", {}, f.log.map((e) => el("li", { class: "meta",
          text: `${e.action} ${e.report_id.slice(0, 10)} ${e.reason || ""}` })))),
    );
    panel.dataset.event = f.id;
  } catch (err) {
    panel.replaceChildren(el("p", { class: "hint", text: String(err.message || err) }));
  }
}

function reportBlock(report) {
  const event = report.event || {};
  const article = report.article || {};
  const href = safeHref(article.url);
  return el("div", { class: "report" },
    el("div", { class: "meta" }, `${report.factuality} · `, article.title || report.outlet || "article",
      article.published ? ` · ${article.published}` : ""),
    el("div", { class: "meta", text: `${actorText(event.source)} → ${actorText(event.target)}` }),
    highlighted(event.sentence || report.sentence, report.sentence_start || 0, report.evidence || []),
    el("div", {},
      el("button", { class: "link", type: "button", text: "read the article", onclick: () => showArticle(report.article_id) }),
      href ? " · " : null,
      href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: "source" }) : null,
      el("span", { class: "meta", text: `  rule: ${event.rule || ""}` })));
}

async function showArticle(id) {
  state.set("article", id); saveState();
  const panel = document.getElementById("panel");
  const a = await api(`/articles/${encodeURIComponent(id)}`);
  const text = a.text || "";
  const starts = new Map();
  for (const s of a.spans) if (!starts.has(s.start) || starts.get(s.start).end < s.end) starts.set(s.start, s);
  const body = el("div", { class: "article-text" });
  let at = 0;
  for (const s of [...starts.values()].sort((x, y) => x.start - y.start)) {
    if (s.start < at) continue;
    body.append(text.slice(at, s.start));
    body.append(el("mark", { class: `f-${s.field.split(".")[0]}`, title: `${s.field} of ${s.event_id}`,
      text: text.slice(s.start, s.end) }));
    at = s.end;
  }
  body.append(text.slice(at));
  const href = safeHref(a.url);
  panel.replaceChildren(
    el("button", { class: "link", type: "button", text: "← back to the event",
      onclick: () => state.get("event") && selectEvent(state.get("event")) }),
    el("h3", { text: a.title || a.path || a.id }),
    el("div", { class: "meta" }, a.source || "", a.published ? ` · ${a.published}` : "", href ? " · " : "",
      href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: href }) : null),
    body);
}

/* -- tension and alerts -------------------------------------------------------------------- */

function initTension() {
  const form = document.getElementById("tension-form");
  form.elements.key.value = state.get("tension") || "";
  form.elements.by.value = state.get("tby") || "day";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const key = form.elements.key.value.trim();
    if (key) state.set("tension", key); else state.delete("tension");
    state.set("tby", form.elements.by.value);
    saveState();
    loadTension();
  });
  if (state.get("tension")) loadTension();
}

async function loadTension() {
  const key = state.get("tension");
  const chart = document.getElementById("tension");
  const list = document.getElementById("escalations");
  if (!key) return;
  try {
    const params = { key, by: state.get("tby") || "day" };
    if (state.get("since")) params.since = state.get("since");
    if (state.get("until")) params.until = state.get("until");
    const data = await api("/tension", params);
    chart.replaceChildren(tensionChart(data, (r) => r.top.length && selectEvent(r.top[0].id)));
    const escalations = data.readings.filter((r) => r.escalating);
    const gaps = data.readings.filter((r) => r.index === null).length;
    list.replaceChildren(
      ...escalations.map((r) => el("li", { class: "escalation", "data-period": r.period },
        `▲ ${r.period} escalation: index ${r.index.toFixed(1)} (z ${r.z.toFixed(1)}) `,
        r.top.length ? el("button", { class: "link", type: "button", text: r.top[0].sentence.slice(0, 90),
          onclick: () => selectEvent(r.top[0].id) }) : null)),
      el("li", { class: "meta", text: `${data.readings.length} periods, ${escalations.length} escalating,`
        + ` ${gaps} with insufficient coverage (hatched)` }));
  } catch (err) {
    chart.replaceChildren(el("p", { class: "hint", text: String(err.message || err) }));
    list.replaceChildren();
  }
}

async function loadAlerts() {
  const list = document.getElementById("alerts");
  try {
    const body = await api("/alerts", { page_size: 100 });
    if (!body.items.length) {
      list.replaceChildren(el("li", { class: "hint", text: "No alerts fired yet (powderkeg alerts evaluates the rules)." }));
      return;
    }
    list.replaceChildren(...body.items.map((a) => el("li", {},
      el("b", { text: `${a.period} ${a.key}` }), ` ${a.rule}: index ${a.index} (z ${a.z})`,
      el("ul", {}, (a.events || []).map((e) => el("li", {},
        el("button", { class: "link", type: "button", text: `${e.type} ${e.source.join("+") || "?"}→${e.target.join("+") || "?"}`,
          onclick: () => selectEvent(e.id) }),
        el("div", { class: "meta", text: (e.evidence || [])[0] || "" })))))));
  } catch (err) {
    list.replaceChildren(el("li", { class: "hint", text: String(err.message || err) }));
  }
}

async function start() {
  initFilters();
  initTension();
  await initMap();
  await loadEvents();
  loadAlerts();
  if (state.get("article")) showArticle(state.get("article"));
  else if (state.get("event")) selectEvent(state.get("event"));
  document.body.dataset.ready = "1";
}

start();
