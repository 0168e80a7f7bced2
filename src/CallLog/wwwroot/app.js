// CallLog web console: sign in with an API key, browse, filter and open calls; see webhook endpoints and
// their deliveries, and redeliver (keys with can_manage_webhooks).
// The key lives in sessionStorage and travels only in the Authorization header; the page URL holds
// the filters (shareable, reloadable) and never the key.

const KEY = "calllog.key";
const PAGE_SIZE = 25;
const $ = (id) => document.getElementById(id);

const views = { signIn: $("sign-in-view"), calls: $("calls-view"), webhooks: $("webhooks-view") };
let agentsById = new Map();
let lastOpener = null;

// ---- API -----------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

async function api(path, method = "GET") {
  let response;
  try {
    response = await fetch(path, { method, headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY)}` } });
  } catch {
    throw new ApiError(0, "network", "The CallLog server cannot be reached. Check that it is running, then try again.");
  }
  if (response.ok) {
    return response.json();
  }
  let body = {};
  try { body = await response.json(); } catch { /* not the API's error body */ }
  throw new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText,
    response.headers.get("Retry-After"));
}

/** A sentence for a person, for any failure. */
function explain(error) {
  switch (error.status) {
    case 401: return `This key was not accepted: ${error.message}`;
    case 403: return `This key may not read calls. ${error.message} Ask for a key with can_read_calls.`;
    case 429: return `Too many requests for this key; try again in ${error.retryAfter ?? "a few"} seconds.`;
    case 0: return error.message;
    default: return `Something went wrong (${error.code}): ${error.message}`;
  }
}

// ---- Sign in and out -----------------------------------------------------------------------------

function show(view) {
  for (const [name, section] of Object.entries(views)) section.hidden = name !== view;
  const signedIn = view !== "signIn";
  $("sign-out").hidden = !signedIn;
  $("who").hidden = !signedIn;
  $("views").hidden = !signedIn;
  for (const [link, name] of [["to-calls", "calls"], ["to-webhooks", "webhooks"]]) {
    if (view === name) $(link).setAttribute("aria-current", "page"); else $(link).removeAttribute("aria-current");
  }
}

function showSignIn(message) {
  sessionStorage.removeItem(KEY);
  show("signIn");
  const error = $("sign-in-error");
  error.textContent = message ?? "";
  error.hidden = !message;
  $("key").value = "";
  $("key").focus();
}

$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = $("key").value.trim();
  if (!key) {
    showSignIn("Paste an API key first.");
    return;
  }
  $("sign-in-button").disabled = true;
  sessionStorage.setItem(KEY, key);
  try {
    await api("/api/v1/calls?limit=1");
    await enter();
  } catch (error) {
    showSignIn(explain(error));
  } finally {
    $("sign-in-button").disabled = false;
  }
});

$("sign-out").addEventListener("click", () => {
  history.replaceState(null, "", location.pathname);
  showSignIn();
});

async function enter() {
  const key = sessionStorage.getItem(KEY) ?? "";
  $("who").textContent = `Key ${key.slice(0, 12)}…`;
  // The Webhooks page is for keys that may manage webhooks; others do not see it.
  $("to-webhooks").hidden = !(await api("/api/v1/webhooks").then(() => true, () => false));
  await route();
}

/** Shows the page the URL names: the calls, or (?view=webhooks) the webhook endpoints. */
async function route() {
  if (new URLSearchParams(location.search).get("view") === "webhooks" && !$("to-webhooks").hidden) {
    show("webhooks");
    await loadWebhooks();
    return;
  }
  show("calls");
  if (!agentsById.size) await loadAgents();
  readFiltersFromUrl();
  await loadCalls();
}

for (const [link, query] of [["to-calls", ""], ["to-webhooks", "?view=webhooks"]]) {
  $(link).addEventListener("click", (event) => {
    event.preventDefault();
    history.pushState(null, "", query || location.pathname);
    route();
  });
}

// ---- Filters in the URL --------------------------------------------------------------------------

const FILTERS = ["agent_id", "status", "type", "from", "to", "q", "sort"];

function state() {
  const params = new URLSearchParams(location.search);
  return { params, page: Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1) };
}

function readFiltersFromUrl() {
  const { params } = state();
  for (const name of FILTERS) {
    const input = field(name);
    if (input) input.value = params.get(name) ?? "";
  }
  if (params.get("agent_id") && !agentsById.has(params.get("agent_id")) && !$("f-agent-text").hidden) {
    $("f-agent-text").value = params.get("agent_id");
  }
}

function field(name) {
  if (name === "agent_id") return $("f-agent-text").hidden ? $("f-agent") : $("f-agent-text");
  return $(`f-${name}`);
}

function writeUrl(page, call) {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = field(name)?.value.trim();
    if (value) params.set(name, value);
  }
  if (page > 1) params.set("page", String(page));
  if (call) params.set("call", call);
  const query = params.toString();
  history.pushState(null, "", query ? `?${query}` : location.pathname);
}

/** The API request for the page's state: the date range is whole UTC days, "to" inclusive. */
function callsQuery() {
  const { params, page } = state();
  const query = new URLSearchParams({ page: String(page), limit: String(PAGE_SIZE) });
  for (const name of ["agent_id", "status", "type", "q", "sort"]) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  if (params.get("from")) query.set("started_after", `${params.get("from")}T00:00:00Z`);
  if (params.get("to")) {
    const next = new Date(`${params.get("to")}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    query.set("started_before", next.toISOString().replace(".000Z", "Z"));
  }
  return query;
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  writeUrl(1);
  loadCalls();
});

for (const id of ["f-agent", "f-status", "f-type", "f-sort"]) {
  $(id).addEventListener("change", () => { writeUrl(1); loadCalls(); });
}

function clearFilters() {
  for (const name of FILTERS) {
    const input = field(name);
    if (input) input.value = "";
  }
  writeUrl(1);
  loadCalls();
}
$("clear").addEventListener("click", clearFilters);
$("empty-clear").addEventListener("click", clearFilters);

window.addEventListener("popstate", () => {
  if (!sessionStorage.getItem(KEY)) return;
  route();
});

// ---- Agents --------------------------------------------------------------------------------------

async function loadAgents() {
  const select = $("f-agent");
  select.replaceChildren(new Option("All agents", ""));
  agentsById = new Map();
  try {
    for (let page = 1; page <= 10; page++) {
      const result = await api(`/api/v1/agents?limit=100&page=${page}`);
      for (const agent of result.agents) {
        agentsById.set(agent.id, agent);
        select.append(new Option(`${agent.name ?? agent.id} (${agent.call_count.toLocaleString()})`, agent.id));
      }
      if (page >= result.pages) break;
    }
    select.hidden = false;
    $("f-agent-text").hidden = true;
    $("l-agent").htmlFor = "f-agent";
  } catch {
    // A key without can_read_agents still filters by agent: a text field instead of the picker.
    select.hidden = true;
    $("f-agent-text").hidden = false;
    $("l-agent").htmlFor = "f-agent-text";
  }
}

// ---- Calls ---------------------------------------------------------------------------------------

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function when(iso) {
  return iso ? `${dateTime.format(new Date(iso))} UTC` : "—";
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

const STATUS = { completed: "Completed", failed: "Failed", "in-progress": "In progress" };
const TYPE = { inbound: "Inbound", outbound: "Outbound" };

function badge(status) {
  const span = document.createElement("span");
  span.className = `badge ${status}`;
  span.textContent = STATUS[status] ?? status;
  return span;
}

function cell(label, content, className) {
  const td = document.createElement("td");
  td.dataset.label = label;
  if (className) td.className = className;
  if (content instanceof Node) td.append(content); else td.textContent = content;
  return td;
}

// Each load outdates the ones before it: a slow answer to an older filter must not overwrite a newer one.
let loads = 0;

async function loadCalls() {
  const load = ++loads;
  const table = $("calls");
  const problem = $("problem");
  table.setAttribute("aria-busy", "true");
  $("status").textContent = "Loading calls…";
  problem.hidden = true;
  let page;
  try {
    page = await api(`/api/v1/calls?${callsQuery()}`);
  } catch (error) {
    if (load !== loads) return;
    table.removeAttribute("aria-busy");
    if (error.status === 401) {
      showSignIn(explain(error));
      return;
    }
    $("status").textContent = "";
    problem.textContent = explain(error);
    problem.hidden = false;
    return;
  }
  if (load !== loads) return;
  table.removeAttribute("aria-busy");
  render(page);
  const open = new URLSearchParams(location.search).get("call");
  if (open && !$("detail").open) openCall(open, null);
}

function render(page) {
  const body = $("calls").tBodies[0];
  body.replaceChildren(...page.calls.map(row));
  const { page: number } = state();
  const first = page.calls.length ? (number - 1) * page.limit + 1 : 0;
  const last = first ? first + page.calls.length - 1 : 0;
  $("status").textContent = page.count === 0
    ? "No calls match these filters."
    : `Showing ${first.toLocaleString()}–${last.toLocaleString()} of ${page.count.toLocaleString()} calls`;
  $("empty").hidden = page.count !== 0;
  $("calls").hidden = page.count === 0;
  $("page-info").textContent = page.pages ? `Page ${number} of ${page.pages.toLocaleString()}` : "";
  $("prev").disabled = number <= 1;
  $("next").disabled = number >= page.pages;
}

function row(call) {
  const tr = document.createElement("tr");
  tr.dataset.id = call.id;
  const open = document.createElement("button");
  open.type = "button";
  open.className = "open";
  open.textContent = when(call.started_at);
  open.setAttribute("aria-label", `Open call of ${when(call.started_at)} with ${call.phone_number}`);
  tr.append(
    cell("Started", open),
    cell("Agent", call.agent_name ?? call.agent_id),
    cell("Direction", TYPE[call.type] ?? call.type),
    cell("Status", badge(call.status)),
    cell("Phone", call.phone_number),
    cell("Contact", call.contact?.name ?? call.contact?.email ?? "—"),
    cell("Duration", duration(call.duration_seconds)),
    cell("Summary", call.summary ?? "—", "summary"),
  );
  tr.querySelector("td.summary").title = call.summary ?? "";
  tr.addEventListener("click", () => openCall(call.id, open));
  return tr;
}

function go(delta) {
  writeUrl(state().page + delta);
  loadCalls();
  $("calls-title").scrollIntoView({ block: "start" });
}
$("prev").addEventListener("click", () => go(-1));
$("next").addEventListener("click", () => go(1));

// ---- One call ------------------------------------------------------------------------------------

function fact(list, term, value) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  if (value instanceof Node) dd.append(value); else dd.textContent = value ?? "—";
  list.append(dt, dd);
}

async function openCall(id, opener) {
  lastOpener = opener;
  const dialog = $("detail");
  const body = $("detail-body");
  body.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Loading the call…" }));
  $("detail-title").textContent = "Call";
  if (!dialog.open) dialog.showModal();
  if (new URLSearchParams(location.search).get("call") !== id) writeUrlWithCall(id);
  let call;
  try {
    call = await api(`/api/v1/calls/${encodeURIComponent(id)}`);
  } catch (error) {
    body.replaceChildren(Object.assign(document.createElement("p"), {
      className: "error", textContent: error.status === 404 ? "This call no longer exists." : explain(error),
    }));
    return;
  }
  $("detail-title").textContent = `${TYPE[call.type] ?? call.type} call, ${when(call.started_at)}`;
  const facts = document.createElement("dl");
  facts.className = "facts";
  fact(facts, "Status", badge(call.status));
  fact(facts, "Agent", call.agent_name ? `${call.agent_name} (${call.agent_id})` : call.agent_id);
  fact(facts, "Phone", call.phone_number);
  fact(facts, "Contact", call.contact
    ? [call.contact.name, call.contact.email, call.contact.company].filter(Boolean).join(" · ") || `#${call.contact.id}`
    : null);
  fact(facts, "Started", when(call.started_at));
  fact(facts, "Ended", when(call.ended_at));
  fact(facts, "Duration", duration(call.duration_seconds));
  fact(facts, "Call id", call.id);
  fact(facts, "Summary", call.summary);
  const metadata = Object.entries(call.metadata ?? {});
  if (metadata.length) fact(facts, "Metadata", metadata.map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", "));

  const parts = [facts];
  const recordingTitle = Object.assign(document.createElement("h3"), { textContent: "Recording" });
  parts.push(recordingTitle);
  if (call.recording_url) {
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "none";
    audio.src = call.recording_url;
    audio.setAttribute("aria-label", "Call recording");
    parts.push(audio);
  } else {
    parts.push(Object.assign(document.createElement("p"), { className: "hint", textContent: "No recording for this call." }));
  }
  parts.push(Object.assign(document.createElement("h3"), { textContent: "Transcript" }));
  parts.push(call.transcript
    ? Object.assign(document.createElement("div"), { className: "transcript", textContent: call.transcript, tabIndex: 0 })
    : Object.assign(document.createElement("p"), { className: "hint", textContent: "No transcript for this call." }));
  body.replaceChildren(...parts);
}

function writeUrlWithCall(id) {
  const params = new URLSearchParams(location.search);
  if (id) params.set("call", id); else params.delete("call");
  const query = params.toString();
  history.pushState(null, "", query ? `?${query}` : location.pathname);
}

$("detail").addEventListener("close", () => {
  if (new URLSearchParams(location.search).has("call")) writeUrlWithCall(null);
  lastOpener?.focus();
});

// ---- Webhooks ------------------------------------------------------------------------------------

const DELIVERY = { succeeded: "Succeeded", failed: "Failed", pending: "Pending" };

function stateBadge(text, kind) {
  const span = document.createElement("span");
  span.className = `badge ${kind}`;
  span.textContent = text;
  return span;
}

async function loadWebhooks() {
  const problem = $("webhooks-problem");
  problem.hidden = true;
  $("webhooks-status").textContent = "Loading webhook endpoints…";
  let result;
  try {
    result = await api("/api/v1/webhooks");
  } catch (error) {
    $("webhooks-status").textContent = "";
    problem.textContent = explain(error);
    problem.hidden = false;
    return;
  }
  const endpoints = result.webhooks;
  $("webhooks-status").textContent = endpoints.length === 1 ? "1 endpoint" : `${endpoints.length} endpoints`;
  $("webhooks-empty").hidden = endpoints.length !== 0;
  $("webhooks").hidden = endpoints.length === 0;
  $("webhooks").tBodies[0].replaceChildren(...endpoints.map((endpoint) => {
    const tr = document.createElement("tr");
    tr.dataset.id = endpoint.id;
    const open = document.createElement("button");
    open.type = "button";
    open.className = "open";
    open.textContent = endpoint.url;
    open.setAttribute("aria-label", `Show deliveries to ${endpoint.url}`);
    open.addEventListener("click", () => selectWebhook(endpoint));
    tr.append(
      cell("Endpoint", open, "url"),
      cell("Events", endpoint.events.join(", ")),
      cell("State", endpoint.enabled ? stateBadge("Enabled", "enabled") : stateBadge(`Disabled (${endpoint.disabled_reason})`, "disabled")),
      cell("Created", when(endpoint.created_at)),
      cell("Failing since", endpoint.failing_since ? when(endpoint.failing_since) : "—"),
    );
    return tr;
  }));
  const selected = new URLSearchParams(location.search).get("webhook");
  const endpoint = endpoints.find((e) => e.id === selected);
  if (endpoint) await loadDeliveries(endpoint); else $("deliveries-view").hidden = true;
}

function selectWebhook(endpoint) {
  history.pushState(null, "", `?view=webhooks&webhook=${encodeURIComponent(endpoint.id)}`);
  loadDeliveries(endpoint);
}

async function loadDeliveries(endpoint, message) {
  const view = $("deliveries-view");
  view.hidden = false;
  $("deliveries-title").textContent = `Recent deliveries to ${endpoint.url}`;
  $("deliveries-status").textContent = "Loading deliveries…";
  let page;
  try {
    page = await api(`/api/v1/webhooks/${encodeURIComponent(endpoint.id)}/deliveries?limit=25`);
  } catch (error) {
    $("deliveries-status").textContent = explain(error);
    return;
  }
  $("deliveries-status").textContent = message ?? (page.deliveries.length
    ? `The latest ${page.deliveries.length === 1 ? "delivery" : `${page.deliveries.length} deliveries`}, newest first`
    : "Nothing has been sent to this endpoint yet.");
  $("deliveries").hidden = page.deliveries.length === 0;
  $("deliveries").tBodies[0].replaceChildren(...page.deliveries.map((delivery) => {
    const tr = document.createElement("tr");
    tr.dataset.id = delivery.id;
    const redeliver = document.createElement("button");
    redeliver.type = "button";
    redeliver.className = "quiet";
    redeliver.textContent = "Redeliver";
    redeliver.setAttribute("aria-label", `Redeliver ${delivery.event_type} ${delivery.event_id}`);
    redeliver.addEventListener("click", async () => {
      redeliver.disabled = true;
      try {
        const queued = await api(`/api/v1/webhooks/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`, "POST");
        await loadDeliveries(endpoint, `Queued ${delivery.event_type} again as ${queued.id}.`);
      } catch (error) {
        $("deliveries-status").textContent = explain(error);
        redeliver.disabled = false;
      }
    });
    const answer = delivery.response_status !== null
      ? `${delivery.response_status}${delivery.latency_ms !== null ? ` in ${delivery.latency_ms} ms` : ""}`
      : delivery.error ?? "—";
    tr.append(
      cell("Last attempt", when(delivery.last_attempt_at ?? delivery.created_at)),
      cell("Event", `${delivery.event_type} ${delivery.event_id}`),
      cell("Status", stateBadge(DELIVERY[delivery.status] ?? delivery.status, delivery.status)),
      cell("Attempts", String(delivery.attempts)),
      cell("Answer", answer),
      cell("Actions", redeliver),
    );
    return tr;
  }));
}

// ---- Start ---------------------------------------------------------------------------------------

if (sessionStorage.getItem(KEY)) {
  api("/api/v1/calls?limit=1").then(enter, (error) => showSignIn(explain(error)));
} else {
  showSignIn();
}
