// The checks in order; the first failure gives the verdict. `show(id, status, detail)` fills a row.
import { normaliseOllamaUrl } from "./addresses.js";
import { describeContext, localNetworkPermission, planContext } from "./context.js";
import { admittedByDefault } from "./origins.js";
import { probe } from "./probes.js";

const TAGS_CAP = 2 << 20;

// Ollama version strings ("0.1.45", "v0.12.6-rc1") compared by their numbers.
function versionNumbers(text) {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? match.slice(1).map((part) => Number(part) || 0) : [];
}

function isOlder(version, minimum) {
  const have = versionNumbers(version);
  const need = versionNumbers(minimum);
  const differs = need.findIndex((number, index) => have[index] !== number);
  return differs >= 0 && (have[differs] ?? 0) < need[differs];
}

// Ollama's lookup: no tag means ":latest", in any case.
const fullModelName = (name) => (name.includes(":") ? name : name + ":latest").toLowerCase();

function fail(run, verdict, caseId = "") {
  return { ...run, verdict, caseId };
}

function checkAddress(run, form, settings, show) {
  const normalised = normaliseOllamaUrl(form.url, settings.defaultPort);
  if (normalised.error) {
    show("url", "fail", normalised.error);
    return false;
  }
  run.target = normalised.url;
  run.url = normalised.url.origin;
  show("url", "pass", run.url + normalised.note);
  return true;
}

// Local Network Access matters only for a request tagged with its space, or one that failed across spaces;
// a request that reached its target was not blocked by it, whatever the permission reads.
async function readPermission(run, reached) {
  const context = run.context;
  const tagged = Boolean(context.options?.targetAddressSpace);
  if (!tagged && (reached || !context.crossing)) {
    return "";
  }
  run.permission = await localNetworkPermission(context.to);
  if (!tagged && run.permission !== "denied") {
    return "";
  }
  return ` Local Network Access applies (${context.from} to ${context.to}): the permission reads ${run.permission}.`;
}

// After the first request, when it is known whether anything answered. True when the permission blocked it.
async function showContext(run, settings, show, reached) {
  const origin = location.origin;
  const admitted = admittedByDefault(origin, settings);
  const permission = await readPermission(run, reached);
  const originNote = admitted ? ` This page's origin ${origin} is among the origins Ollama admits by default.`
    : ` This page's origin ${origin} is not among Ollama's default origins: only ${settings.originsEnv} admits it.`;
  const blocked = !reached && run.permission === "denied";
  const status = blocked ? "fail" : admitted ? "pass" : "warn";
  show("context", status, describeContext(run.context) + permission + originNote);
  return blocked;
}

function lostDetail(run, attempt, form) {
  if (attempt.timedOut) {
    return `No reply within ${form.timeoutMs / 1000} s.`;
  }
  return run.context.to === "loopback"
    ? `Nothing answers at ${run.target.host} on this computer: the connection failed at once.`
    : "The connection failed before the timeout (refused, no route, or a name that does not resolve).";
}

function lost(run, attempt, id, form, show) {
  show(id, "fail", lostDetail(run, attempt, form));
  if (attempt.timedOut) {
    return fail(run, "timeout");
  }
  return fail(run, "unreachable", run.context.to === "loopback" ? "loopback" : "");
}

function corsBlocked(run, settings, show) {
  const admitted = admittedByDefault(location.origin, settings);
  const reason = admitted
    ? "Ollama always admits this page's origin, so what answers is probably not Ollama" +
      " (or a proxy drops the CORS headers)."
    : "Either Ollama refuses this page's origin or the server is not Ollama; the terminal line with --origin tells.";
  show("reach", "fail", `Something answers but does not let ${location.origin} read its replies. ${reason}`);
  return fail(run, "cors-blocked");
}

async function checkReach(run, form, settings, show, signal) {
  show("reach", "running");
  const options = run.context.options;
  const version = await probe(run.url + "/api/version", options, form.timeoutMs, signal);
  if (version.response) {
    await showContext(run, settings, show, true);
    show("reach", "pass", `HTTP ${version.response.status}, readable by this page.`);
    run.version = version;
    return null;
  }
  const opaque = version.timedOut ? version
    : await probe(run.url + "/", { ...options, mode: "no-cors", redirect: "follow" }, form.timeoutMs, signal);
  const denied = await showContext(run, settings, show, Boolean(opaque.response));
  if (opaque.response) {
    return corsBlocked(run, settings, show);
  }
  if (denied && !opaque.timedOut) {
    show("reach", "fail", "The browser blocked the request: its local network permission reads denied.");
    const caseId = !window.isSecureContext ? "insecure-page" : run.context.to === "loopback" ? "loopback" : "";
    return fail(run, "local-network-denied", caseId);
  }
  return lost(run, opaque, "reach", form, show);
}

function readVersion(text) {
  try {
    const version = JSON.parse(text).version;
    return typeof version === "string" ? version : null;
  } catch {
    return null;
  }
}

function checkIdentity(run, form, settings, show) {
  show("identity", "running");
  const { response, text } = run.version;
  if (response.status === 403) {
    const detail = `/api/version answered HTTP 403 to the Host header "${run.target.host}" that this browser sent;` +
      " a proxy or tunnel in between may send another.";
    show("identity", "fail", detail);
    return fail(run, "host-refused");
  }
  const version = response.ok ? readVersion(text) : null;
  if (!version) {
    const answer = response.type === "opaqueredirect" ? "a redirect"
      : response.ok ? JSON.stringify(text.slice(0, 60)) : `HTTP ${response.status}`;
    show("identity", "fail", `/api/version answered ${answer}.`);
    return fail(run, "not-ollama");
  }
  if (isOlder(version, settings.minVersion)) {
    show("identity", "fail", `Ollama ${version}; ${settings.minVersion} or later is needed.`);
    return fail(run, "version-too-old");
  }
  show("identity", "pass", `Ollama ${version}`);
  return null;
}

function readModelNames(tags) {
  try {
    if (tags.cut) {
      const quoted = [...tags.text.matchAll(/"name"\s*:\s*("(?:[^"\\]|\\.)*")/g)];
      return quoted.map((match) => JSON.parse(match[1]));
    }
    return JSON.parse(tags.text).models.map((model) => model.name).filter((name) => typeof name === "string");
  } catch {
    return null;
  }
}

function describeModels(names, settings, cut) {
  const shown = names.slice(0, settings.maxModelsShown).join(", ");
  const more = names.length - settings.maxModelsShown;
  const rest = more > 0 ? ` and ${more} more` : "";
  return `${cut ? "Read in part, too large: " : ""}${names.length} model(s): ${shown}${rest}`;
}

async function checkModels(run, form, settings, show, signal) {
  show("models", "running");
  const tags = await probe(run.url + "/api/tags", run.context.options, form.timeoutMs, signal, TAGS_CAP);
  if (!tags.response) {
    return lost(run, tags, "models", form, show);
  }
  const names = tags.response.ok ? readModelNames(tags) : null;
  if (!names) {
    show("models", "fail", `/api/tags answered HTTP ${tags.response.status} without a model list.`);
    return fail(run, "not-ollama");
  }
  run.models = names;
  if (!names.length) {
    show("models", "fail", "Ollama has no models.");
    return fail(run, "no-models");
  }
  run.cut = tags.cut;
  show("models", tags.cut ? "warn" : "pass", describeModels(names, settings, tags.cut));
  return null;
}

function checkModel(run, form, settings, show) {
  const wanted = form.model.trim();
  if (!wanted) {
    show("model", "skip", "No model named.");
    return null;
  }
  const found = run.models.find((name) => fullModelName(name) === fullModelName(wanted));
  if (!found) {
    show("model", "fail", `${wanted} is not ${run.cut ? "among the models read" : "installed"}.`);
    return fail(run, "model-missing");
  }
  run.model = found;
  show("model", "pass", `${found} is installed.`);
  return null;
}

export async function runChecks(form, settings, show, signal) {
  const run = { models: [] };
  if (!checkAddress(run, form, settings, show)) {
    return fail(run, "invalid-url");
  }
  show("context", "running");
  run.context = planContext(run.target);
  if (run.context.blocked) {
    show("context", "fail", describeContext(run.context) + " The browser blocks it, so nothing was sent.");
    return fail(run, "mixed-content", run.context.blocked);
  }
  for (const step of [checkReach, checkIdentity, checkModels, checkModel]) {
    const ended = await step(run, form, settings, show, signal);
    if (ended) {
      return ended;
    }
  }
  return { ...run, verdict: "ok", caseId: "" };
}
