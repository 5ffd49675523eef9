// "Test a reply": one streamed /api/chat, timed.
import { ndjson } from "./ndjson.js";
import { INIT, timedOut, within } from "./probes.js";

export async function chat(url, model, cfg, signal, show) {
  const s = within(signal, 120000), t0 = performance.now();
  let first, text = "", last;
  try {
    const res = await fetch(url + "/api/chat", { ...INIT, method: "POST", signal: s, headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: cfg.chatPrompt }], stream: true, options: { num_predict: cfg.chatNumPredict } }) });
    if (!res.ok) throw Error(`HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    for await (const o of ndjson(res.body)) {
      if (o.error) throw Error(o.error);
      if (o.message?.content) show((text += o.message.content), (first ??= performance.now() - t0));
      if (o.done) last = o;
    }
  } catch (e) {
    throw timedOut(s) ? Error("no reply within 120 s") : e;
  }
  return { first: first ?? 0, tps: last?.eval_duration ? last.eval_count / (last.eval_duration / 1e9) : 0, count: last?.eval_count, text };
}
