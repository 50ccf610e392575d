// patchbay's dashboard: the live journal (server-sent events from /_patchbay/requests/stream),
// each vendor's stored state with reset, and the fault rules. It calls the control API only, on
// the page's own origin; every value shown goes in as text, never as markup.
"use strict";

const API = "/_patchbay";
// Rows kept in the journal table: older ones leave it (the journal itself keeps more).
const MAX_ROWS = 500;
// Entries the stream replays from the journal when the page opens or the filters change.
const BACKLOG = 200;

const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function call(method, path, body) {
  const options = { method, headers: { accept: "application/json" } };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, options);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (_) {
    json = null;
  }
  if (!response.ok) {
    const message = json && json.error ? json.error.message : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return json;
}

// ---- secrets: the same names the journal masks (plane/journal.rs), plus every key value ----

const SECRET_NAMES = ["secret", "clientsecret", "password", "token", "accesstoken", "refreshtoken",
  "apikey", "privatekey", "webhooksecret", "signingsecret", "bearertoken"];

function isSecretField(name) {
  const normal = name.replace(/[_-]/g, "").toLowerCase();
  return SECRET_NAMES.includes(normal) || normal.endsWith("secret") ||
    normal.endsWith("password") || normal.endsWith("token");
}

function maskText(text) {
  const value = String(text);
  return value.length > 12 ? "****" + value.slice(-4) : "****";
}

function masked(value) {
  if (Array.isArray(value)) return value.map(masked);
  if (value && typeof value === "object") {
    const copy = {};
    for (const [name, inner] of Object.entries(value)) {
      copy[name] = isSecretField(name) && inner !== null ? maskText(typeof inner === "string" ? inner : "") : masked(inner);
    }
    return copy;
  }
  return value;
}

// ---- the live journal ----

const journal = { source: null, entries: new Map(), received: 0, skipped: 0, pendingAnnouncement: 0, timer: null };

function journalFilters() {
  const query = new URLSearchParams();
  for (const name of ["vendor", "tenant", "status", "path"]) {
    const value = $(`filter-${name}`).value.trim();
    if (value) query.set(name, value);
  }
  return query;
}

function setJournalStatus() {
  const state = journal.source && journal.source.readyState === EventSource.OPEN ? "Live" : "Reconnecting…";
  let text = `${state}: ${journal.entries.size} shown`;
  if (journal.skipped) text += `, ${journal.skipped} skipped while this page fell behind`;
  $("journal-status").textContent = text;
}

function openStream() {
  if (journal.source) journal.source.close();
  journal.entries.clear();
  $("journal-rows").replaceChildren();
  journal.skipped = 0;
  const query = journalFilters();
  query.set("after", "0");
  query.set("limit", String(BACKLOG));
  const source = new EventSource(`${API}/requests/stream?${query}`);
  journal.source = source;
  source.addEventListener("open", setJournalStatus);
  source.addEventListener("error", () => {
    setJournalStatus();
    // A refusal (a bad filter, too many viewers) closes the stream for good: say why.
    if (source.readyState === EventSource.CLOSED) {
      call("GET", `/requests?${journalFilters()}&limit=1`).then(
        () => { $("journal-status").textContent = "The stream was refused (too many viewers?): reload to try again."; },
        (failure) => { $("journal-status").textContent = `The stream was refused: ${failure.message}`; });
    }
  });
  source.addEventListener("request", (event) => {
    const entry = JSON.parse(event.data);
    addRow(entry);
    announce();
  });
  source.addEventListener("lagged", (event) => {
    journal.skipped += JSON.parse(event.data).skipped;
    setJournalStatus();
  });
}

function addRow(entry) {
  if (journal.entries.has(entry.id)) return;
  journal.entries.set(entry.id, entry);
  const row = element("tr");
  row.dataset.id = String(entry.id);
  row.tabIndex = 0;
  row.setAttribute("aria-label", `${entry.method} ${entry.path}, status ${entry.status === null ? "none" : entry.status}: open details`);
  const status = entry.status === null ? "dropped" : entry.status;
  const cells = [
    new Date(entry.time).toLocaleTimeString(),
    entry.vendor,
    entry.tenant || "",
    entry.method,
    entry.path + (entry.query ? "?" + entry.query : ""),
    status,
    entry.error_code || "",
    `${entry.duration_ms.toFixed(1)} ms`,
    entry.fault || "",
  ];
  cells.forEach((text, index) => {
    const cell = element("td", text);
    if (index === 5) cell.className = "status s" + String(status).charAt(0);
    row.append(cell);
  });
  row.addEventListener("click", () => showDetail(entry.id));
  row.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      showDetail(entry.id);
    }
  });
  const rows = $("journal-rows");
  rows.prepend(row);
  while (rows.children.length > MAX_ROWS) {
    const last = rows.lastElementChild;
    journal.entries.delete(Number(last.dataset.id));
    last.remove();
  }
  setJournalStatus();
}

// One announcement a second at most, however fast requests come.
function announce() {
  journal.pendingAnnouncement += 1;
  if (journal.timer) return;
  journal.timer = setTimeout(() => {
    const count = journal.pendingAnnouncement;
    journal.pendingAnnouncement = 0;
    journal.timer = null;
    const newest = journal.entries.get(Number($("journal-rows").firstElementChild?.dataset.id));
    $("journal-announcer").textContent = count === 1 && newest
      ? `New request: ${newest.method} ${newest.path}, ${newest.status === null ? "dropped" : newest.status}`
      : `${count} new requests`;
  }, 1000);
}

let detailOpener = null;

function showDetail(id) {
  const entry = journal.entries.get(id);
  if (!entry) return;
  detailOpener = document.activeElement;
  const fields = $("detail-fields");
  fields.replaceChildren();
  const pairs = [
    ["Id", entry.id], ["Time", entry.time], ["Vendor", entry.vendor], ["Tenant", entry.tenant || "(no known key)"],
    ["Request", `${entry.method} ${entry.path}${entry.query ? "?" + entry.query : ""}`],
    ["Response status", entry.status === null ? "none: the connection was dropped" : entry.status],
    ["Error code", entry.error_code || "none"], ["Duration", `${entry.duration_ms} ms`],
    ["Request id", entry.request_id || "none"], ["Fault rule", entry.fault || "none"],
    ["Body size", `${entry.body_bytes} bytes`],
  ];
  for (const [name, value] of pairs) {
    fields.append(element("dt", name), element("dd", value));
  }
  $("detail-body").textContent = entry.body === null
    ? (entry.body_bytes ? "(not shown: not JSON, or too large to keep)" : "(no body)")
    : JSON.stringify(entry.body, null, 2);
  $("detail-title").textContent = `Request ${entry.id}`;
  const panel = $("request-detail");
  panel.hidden = false;
  panel.focus();
}

function closeDetail() {
  $("request-detail").hidden = true;
  if (detailOpener && document.contains(detailOpener)) detailOpener.focus();
}

// ---- state ----

async function loadState() {
  const vendor = $("state-vendor").value;
  if (!vendor) return;
  const reveal = $("state-reveal").checked;
  const container = $("state-tenants");
  let state;
  try {
    state = await call("GET", `/state/${encodeURIComponent(vendor)}`);
  } catch (failure) {
    $("state-status").textContent = `Could not read the state: ${failure.message}`;
    return;
  }
  const tenants = new Map();
  const tenant = (name) => {
    if (!tenants.has(name)) tenants.set(name, { keys: [], records: [] });
    return tenants.get(name);
  };
  for (const key of state.keys) tenant(key.tenant).keys.push(key);
  for (const record of state.records) tenant(record.tenant).records.push(record);
  container.replaceChildren();
  if (tenants.size === 0) container.append(element("p", `${vendor} holds no tenants.`));
  for (const [name, data] of [...tenants.entries()].sort()) {
    const open = name.startsWith("open-") || data.keys.some((key) => key.label === "open key");
    const block = element("article", null, "tenant");
    block.setAttribute("aria-labelledby", `tenant-${vendor}-${name}`);
    const heading = element("h3", name);
    heading.id = `tenant-${vendor}-${name}`;
    heading.append(element("span", open ? "open key tenant" : "fixture tenant", "badge"));
    const reset = element("button", `Reset tenant ${name}`);
    reset.type = "button";
    reset.addEventListener("click", () => resetScope({ vendor, tenant: name }, `tenant ${name}`));
    block.append(heading, reset);
    const keys = element("ul", null, "keys");
    for (const key of data.keys) {
      const label = key.label ? ` (${key.label})` : "";
      const scopes = key.scopes ? ` scopes: ${key.scopes.join(", ")}` : "";
      keys.append(element("li", `key ${reveal ? key.key : maskText(key.key)}${label}${scopes}`));
    }
    if (data.keys.length) block.append(element("h4", "Keys"), keys);
    block.append(element("h4", `Records (${data.records.length})`));
    for (const record of data.records) {
      const shown = { ...record };
      delete shown.tenant;
      const details = element("details", null, "record");
      const title = [record.id ?? record.unique_key ?? record.uuid, record.name ?? record.display_name ?? record.provider]
        .filter((part) => part !== undefined && part !== null).join(" · ");
      details.append(element("summary", title || "record"),
        element("pre", JSON.stringify(reveal ? shown : masked(shown), null, 2)));
      block.append(details);
    }
    container.append(block);
  }
  $("state-status").textContent = `${vendor}: ${tenants.size} tenants, ${state.records.length} records` +
    (reveal ? " (secrets shown)" : " (secrets masked)");
}

async function resetScope(scope, what) {
  try {
    const answer = await call("POST", "/reset", scope);
    $("state-status").textContent = `Reset ${what}: ${answer.records_removed} records removed, ${answer.records_written} written.`;
  } catch (failure) {
    $("state-status").textContent = `Reset of ${what} failed: ${failure.message}`;
    return;
  }
  const status = $("state-status").textContent;
  await loadState();
  $("state-status").textContent = status;
}

// ---- faults ----

async function loadFaults() {
  let list;
  try {
    list = await call("GET", "/faults");
  } catch (failure) {
    $("faults-status").textContent = `Could not read the rules: ${failure.message}`;
    return;
  }
  const rows = $("faults-rows");
  rows.replaceChildren();
  if (list.faults.length === 0) {
    const row = element("tr");
    const cell = element("td", "No fault rules are in force.");
    cell.colSpan = 8;
    row.append(cell);
    rows.append(row);
  }
  for (const rule of list.faults) {
    const effect = { status: rule.status, latency: `${rule.latency_ms} ms`, rate_limit: `429, Retry-After ${rule.retry_after ?? 1} s`, drop: "connection cut" }[rule.kind];
    const times = rule.times ? `${rule.remaining ?? rule.times} of ${rule.times} left` : rule.probability !== undefined ? `p = ${rule.probability}` : "every request";
    const row = element("tr");
    for (const text of [rule.id, rule.kind, rule.vendor || "any", rule.path || "any", effect, times, rule.fired]) {
      row.append(element("td", text));
    }
    const remove = element("button", `Remove ${rule.id}`);
    remove.type = "button";
    remove.addEventListener("click", async () => {
      try {
        await call("DELETE", `/faults/${encodeURIComponent(rule.id)}`);
        $("faults-status").textContent = `Removed ${rule.id}.`;
      } catch (failure) {
        $("faults-status").textContent = `Could not remove ${rule.id}: ${failure.message}`;
      }
      loadFaults();
    });
    const cell = element("td");
    cell.append(remove);
    row.append(cell);
    rows.append(row);
  }
}

function showKindFields() {
  const kind = $("fault-kind").value;
  for (const label of document.querySelectorAll("#fault-form [data-kind]")) {
    label.hidden = label.dataset.kind !== kind;
  }
}

async function addFault(event) {
  event.preventDefault();
  const kind = $("fault-kind").value;
  const rule = { kind };
  const text = (id) => $(id).value.trim();
  const number = (id) => (text(id) === "" ? undefined : Number(text(id)));
  if (text("fault-vendor")) rule.vendor = text("fault-vendor");
  if (text("fault-path")) rule.path = text("fault-path");
  if (kind === "status") rule.status = number("fault-status");
  if (kind === "latency") rule.latency_ms = number("fault-latency");
  if (kind === "rate_limit" && number("fault-retry-after") !== undefined) rule.retry_after = number("fault-retry-after");
  if (number("fault-times") !== undefined) rule.times = number("fault-times");
  if (number("fault-probability") !== undefined) rule.probability = number("fault-probability");
  try {
    const added = await call("POST", "/faults", rule);
    $("faults-status").textContent = `Added ${added.faults.map((fault) => fault.id).join(", ")}.`;
  } catch (failure) {
    $("faults-status").textContent = `Not added: ${failure.message}`;
  }
  loadFaults();
}

// ---- start ----

async function start() {
  let vendors = [];
  try {
    const document_ = await call("GET", "/openapi.json");
    vendors = document_.components.schemas.Vendor.enum;
    $("version").textContent = `version ${document_.info.version}`;
  } catch (failure) {
    $("journal-status").textContent = `The control API did not answer: ${failure.message}`;
  }
  for (const id of ["filter-vendor", "state-vendor", "fault-vendor"]) {
    for (const vendor of vendors) $(id).append(element("option", vendor));
  }
  $("journal-filters").addEventListener("submit", (event) => { event.preventDefault(); openStream(); });
  for (const id of ["filter-vendor", "filter-status"]) $(id).addEventListener("change", openStream);
  $("journal-clear").addEventListener("click", async () => {
    await call("DELETE", "/requests").catch(() => null);
    openStream();
  });
  $("detail-close").addEventListener("click", closeDetail);
  $("request-detail").addEventListener("keydown", (event) => { if (event.key === "Escape") closeDetail(); });
  $("state-form").addEventListener("submit", (event) => { event.preventDefault(); loadState(); });
  $("state-vendor").addEventListener("change", loadState);
  $("state-reveal").addEventListener("change", loadState);
  $("state-reset-vendor").addEventListener("click", () => {
    const vendor = $("state-vendor").value;
    if (vendor) resetScope({ vendor }, `vendor ${vendor}`);
  });
  $("fault-kind").addEventListener("change", showKindFields);
  $("fault-form").addEventListener("submit", addFault);
  showKindFields();
  openStream();
  loadState();
  loadFaults();
  // Rules count down as they fire: the list follows, unless that would move the keyboard focus.
  setInterval(() => { if (!$("faults-rows").contains(document.activeElement)) loadFaults(); }, 5000);
}

document.addEventListener("DOMContentLoaded", start);
