// fetch with a timeout; bodies are read up to a cap, so a huge reply cannot freeze the page.
export const REQUEST_DEFAULTS = { cache: "no-store", credentials: "omit", redirect: "manual" };
export const BODY_CAP = 65536;

// The caller's signal (unmount) combined with our own timer. A timeout is told from the timer's signal,
// never from the error: WebKit reports it as "AbortError: Fetch is aborted", Chrome as a TimeoutError.
export function withTimeout(signal, timeoutMs) {
  const timer = AbortSignal.timeout(timeoutMs);
  return { signal: AbortSignal.any([signal, timer]), timer };
}

export const hasTimedOut = (limit) => limit.timer.aborted;

async function readCapped(response, cap) {
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  while (reader) {
    const chunk = await reader.read();
    if (chunk.done) {
      break;
    }
    text += decoder.decode(chunk.value, { stream: true });
    received += chunk.value.length;
    if (received >= cap) {
      reader.cancel().catch(() => {});
      return { text, cut: true };
    }
  }
  return { text, cut: false };
}

// Resolves to { response, text, cut } or { failed: true, timedOut }; rejects only when `signal` aborts.
export async function probe(url, options, timeoutMs, signal, cap = BODY_CAP) {
  const limit = withTimeout(signal, timeoutMs);
  try {
    const response = await fetch(url, { ...REQUEST_DEFAULTS, ...options, signal: limit.signal });
    return { response, ...(await readCapped(response, cap)) };
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    return { failed: true, timedOut: hasTimedOut(limit) };
  }
}
