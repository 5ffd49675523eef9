// fetch with a timeout; bodies capped so a huge reply cannot freeze the page.
export const INIT = { cache: "no-store", credentials: "omit", redirect: "manual" };
export const within = (signal, ms) => AbortSignal.any([signal, AbortSignal.timeout(ms)]);
export const timedOut = (s) => s.reason?.name === "TimeoutError";

async function read(res, cap) {
  const r = res.body?.getReader(), dec = new TextDecoder();
  let text = "", n = 0;
  for (let c; r && !(c = await r.read()).done; ) {
    text += dec.decode(c.value, { stream: true });
    if ((n += c.value.length) >= cap) return r.cancel().catch(() => {}), { text, cut: true };
  }
  return { text };
}

export async function probe(url, init, ms, signal, cap = 65536) {
  const s = within(signal, ms);
  try {
    const res = await fetch(url, { ...INIT, ...init, signal: s });
    return { res, ...(await read(res, cap)) };
  } catch (e) {
    if (signal.aborted) throw e;
    return { timedOut: timedOut(s) };
  }
}
