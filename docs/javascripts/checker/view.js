// Drives partials/checker.html, with textContent only (never HTML).
import { chat } from "./chat.js";
import { run } from "./checks.js";
import { report } from "./report.js";
import { copy, terminal } from "./terminal.js";

const KEY = "ollama-checker:url";
const store = (v) => { try { return v ? localStorage.setItem(KEY, v) : localStorage.getItem(KEY); } catch {} };
const fill = (el, map) => {
  for (const e of el.querySelectorAll("[data-v]")) e.textContent = map[e.dataset.v] ?? "";
  for (const a of el.querySelectorAll("[data-href]")) a.href = map[a.dataset.href];
};

export function mount(root) {
  const ac = new AbortController(), signal = ac.signal, $ = (s) => root.querySelector(s), o = location.origin;
  let cfg, rows, last, busy;
  try { cfg = JSON.parse(root.dataset.checkerConfig); } catch { return () => {}; }
  const form = $("form"), out = $("[data-checker-output]"), box = $("[data-checker-verdict]"), tools = $("[data-checker-tools]");
  const reply = $("[data-checker-reply]"), md = $("[data-checker-md]"), chatBtn = $("[data-checker-chat]"), env = cfg.originsEnv;
  const on = (el, ev, fn) => el.addEventListener(ev, fn, { signal });
  form.url.value = new URLSearchParams(location.search).get("url") || store() || cfg.defaultUrl;
  $("[data-platforms]").replaceChildren(...cfg.platforms.map((p) => {
    const d = $("[data-checker-platform]").content.firstElementChild.cloneNode(true);
    d.querySelector("summary").textContent = p.name;
    d.querySelector("code").textContent = p.setEnv.replaceAll("{name}", env).replaceAll("{value}", o);
    return d;
  }));

  const set = (id, st, detail = "") => {
    const li = $(`[data-check="${id}"]`), x = rows[id], t = performance.now();
    if (st === "running") x.t0 = t;
    Object.assign(x, { status: st, detail, ms: /pass|fail|warn/.test(st) ? Math.round(t - (x.t0 ?? t)) + " ms" : "" });
    li.dataset.status = st;
    fill(li, { ...x, badge: st === "running" ? "running…" : st });
  };
  const state = (b, text) => (out.setAttribute("aria-busy", (busy = b)), ($("[data-checker-status]").textContent = text));
  const done = () => {
    md.textContent = report(last, rows, cfg);
    state(false, `Verdict: ${cfg.verdicts[last.verdict].title} (${last.verdict}).`);
  };

  on(form, "submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    state(true, "Checking…");
    root.dataset.state = "running";
    delete root.dataset.verdict;
    box.hidden = tools.hidden = !($("[data-checker-checks]").hidden = false);
    reply.textContent = "";
    rows = {};
    for (const li of root.querySelectorAll("[data-check]")) (rows[li.dataset.check] = {}), li.removeAttribute("data-status");
    const f = { url: form.url.value, model: form.model.value, timeoutMs: form.timeout.value > 0 ? form.timeout.value * 1000 : cfg.timeoutMs };
    const r = await run(f, cfg, set, signal).catch(() => ({ verdict: "unreachable", models: [] }));
    if (signal.aborted) return;
    for (const id in rows) /^(running)?$/.test(rows[id].status ?? "") && set(id, "skip", id === "chat" ? "Optional: Test a reply." : "Not run.");
    const code = (root.dataset.verdict = r.verdict);
    last = { ...r, input: f.url, time: new Date().toISOString() };
    if (r.url) store(r.url), terminal(document.querySelector("[data-checker-terminal]"), $("[data-checker-lines]"), r.url, f, cfg, signal);
    const good = code === "ok";
    box.dataset.tone = good ? "pass" : "fail";
    // A page opened from a file has the origin "null", which no OLLAMA_ORIGINS value admits.
    const origins = o === "null" ? "none works: open this page over http" : `${env}=${o}`;
    fill(box, { ...cfg.verdicts[code], badge: good ? "OK" : "Problem", origins, diagnosis: cfg.diagnosisHref });
    for (const e of box.querySelectorAll("[data-when]")) e.hidden = e.dataset.when !== code;
    chatBtn.disabled = !r.models.length;
    box.hidden = tools.hidden = false;
    root.dataset.state = "done";
    done();
  });

  on(chatBtn, "click", async () => {
    if (busy) return;
    state(true, "Testing a reply…");
    set("chat", "running");
    const model = last.model || last.models[0];
    try {
      const c = await chat(last.url, model, cfg, signal, (t) => (reply.textContent = t));
      set("chat", "pass", `${model}: first token after ${Math.round(c.first)} ms, ${c.tps.toFixed(1)} tokens/s (${c.count} tokens). Reply: ${c.text}`);
    } catch (err) {
      if (signal.aborted) return;
      set("chat", "fail", `${model}: ${err.message}`);
    }
    done();
  });
  on($("[data-checker-copy-report]"), "click", (e) => copy(md.textContent, md, e.currentTarget));
  return () => ac.abort();
}
