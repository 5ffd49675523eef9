// The checks in order; the first failure gives the verdict.
import { probe } from "./probes.js";
import { isLoopback, normalise } from "./url.js";

// Like gin-contrib/cors: one "*" splits a pattern into prefix and suffix.
const admits = (p, o, i = p.indexOf("*")) =>
  i < 0 ? p === o : o.length >= p.length - 1 && o.startsWith(p.slice(0, i)) && o.endsWith(p.slice(i + 1));
const ver = (v) => (/^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) || []).slice(1).map((n) => +n || 0);
const older = (a, b, x = ver(a), y = ver(b), i = x.findIndex((n, k) => n !== y[k])) => x[i] < y[i];

async function permission(loop) {
  for (const name of [loop ? "loopback-network" : "local-network", "local-network-access"]) {
    try { return `${(await navigator.permissions.query({ name })).state} (${name})`; } catch {}
  }
  return "unsupported";
}

export async function run(f, cfg, set, signal) {
  const r = { models: [] }, o = location.origin, ms = f.timeoutMs, env = cfg.originsEnv;
  const end = (verdict, id, detail) => (set(id, "fail", detail), { ...r, verdict });
  const lost = (p, id) => p.timedOut ? end("timeout", id, `No reply within ${ms / 1000} s.`)
    : end("unreachable", id, `Failed before the timeout.${/gra|uns/.test(r.lna) ? "" : ` Local Network Access is ${r.lna}: that may block it.`}`);

  const n = normalise(f.url, cfg.defaultPort);
  if (n.error) return end("invalid-url", "url", n.error);
  const u = n.url, url = (r.url = u.origin), loop = isLoopback(u.hostname), ua = navigator.userAgent;
  set("url", "pass", url + n.note);

  set("context", "running");
  if (location.protocol === "https:" && u.protocol === "http:" && (!loop || (/AppleWebKit/.test(ua) && !/Chrome\//.test(ua)))) {
    return end("mixed-content", "context", `https page, plain http ${loop ? "loopback (Safari blocks it)" : "host"}: the browser blocks it, so nothing was sent.`);
  }
  const lna = (r.lna = await permission(loop)), ok = cfg.defaultOrigins.some((p) => admits(p, o));
  set("context", ok && !/^den/.test(lna) ? "pass" : "warn",
    `Local Network Access: ${lna}. Origin ${o} is ${ok ? "" : "not "}among Ollama's defaults: ${env} ${ok ? "not needed" : "must include it"}.`);

  set("reach", "running");
  const a = await probe(url + "/api/version", {}, ms, signal);
  if (!a.res) {
    const b = a.timedOut ? a : await probe(url + "/", { mode: "no-cors", redirect: "follow" }, ms, signal);
    return b.res ? end("cors-blocked", "reach", `A server answers but does not let ${o} read its replies.`) : lost(b, "reach");
  }
  set("reach", "pass", `HTTP ${a.res.status}, readable by this page.`);

  set("identity", "running");
  let v, names;
  try { v = JSON.parse(a.text).version; } catch {}
  if (!a.res.ok || typeof v !== "string") return end("not-ollama", "identity", `/api/version answered ${a.res.ok ? JSON.stringify(a.text.slice(0, 60)) : "HTTP " + a.res.status}.`);
  if (older(v, cfg.minVersion)) return end("version-too-old", "identity", `Ollama ${v}; ${cfg.minVersion} or later is needed.`);
  set("identity", "pass", `Ollama ${v}`);

  set("models", "running");
  const t = await probe(url + "/api/tags", {}, ms, signal, 2 << 20);
  if (!t.res) return lost(t, "models");
  try {
    names = t.cut ? [...t.text.matchAll(/"name"\s*:\s*("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]))
      : JSON.parse(t.text).models.map((m) => m.name).filter((x) => typeof x === "string");
  } catch {}
  if (!t.res.ok || !names) return end("not-ollama", "models", `/api/tags answered HTTP ${t.res.status} without a model list.`);
  if (!(r.models = names).length) return end("no-models", "models", "Ollama has no models.");
  const max = cfg.maxModelsShown, more = names.length - max;
  set("models", t.cut ? "warn" : "pass", (t.cut ? "Read in part, too large: " : "") +
    `${names.length} model(s): ${names.slice(0, max).join(", ")}${more > 0 ? ` and ${more} more` : ""}`);

  set("model", "running");
  // Ollama's lookup: no tag means ":latest", any case.
  const full = (s) => (s.includes(":") ? s : s + ":latest").toLowerCase(), m = f.model.trim(), hit = names.find((x) => full(x) === full(m));
  if (!m) set("model", "skip", "No model named.");
  else if (!hit) return end("model-missing", "model", `${m} is not ${t.cut ? "among the models read" : "installed"}.`);
  else set("model", "pass", `${(r.model = hit)} is installed.`);
  return { ...r, verdict: "ok" };
}
