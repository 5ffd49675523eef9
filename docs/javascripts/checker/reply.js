// "Test a reply": one streamed /api/chat, the time each line arrived, and whether a proxy held it back.
import { REQUEST_DEFAULTS, hasTimedOut, withTimeout } from "./probes.js";

const REPLY_TIMEOUT_MS = 120000;
const NANOSECONDS_PER_MS = 1e6;

// NDJSON from a byte stream: one object per line, lines may be cut anywhere across chunks.
export async function* ndjson(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for (;;) {
      const chunk = await reader.read();
      pending += decoder.decode(chunk.value, { stream: !chunk.done });
      const lines = pending.split("\n");
      pending = chunk.done ? "" : lines.pop();
      for (const line of lines.filter((text) => text.trim())) {
        yield JSON.parse(line);
      }
      if (chunk.done) {
        return;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function openStream(run, settings, signal) {
  const response = await fetch(run.url + "/api/chat", {
    ...REQUEST_DEFAULTS,
    ...run.context.options,
    method: "POST",
    signal,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      model: run.chatModel,
      messages: [{ role: "user", content: settings.chatPrompt }],
      stream: true,
      options: { num_predict: settings.chatNumPredict },
    }),
  });
  if (!response.ok) {
    const text = await response.text();
    throw new Error(`HTTP ${response.status} ${text.slice(0, 200)}`);
  }
  return response.body;
}

function addLine(reply, line, arrived) {
  if (line.error) {
    throw new Error(line.error);
  }
  reply.arrivals.push(arrived);
  if (line.message?.content) {
    reply.text += line.message.content;
    reply.firstTokenMs ??= arrived;
  }
  if (line.done) {
    reply.final = line;
  }
}

// Resolves to { text, firstTokenMs, arrivals, final }; `onText(text)` gets the reply so far.
export async function testReply(run, settings, signal, onText) {
  const limit = withTimeout(signal, REPLY_TIMEOUT_MS);
  const started = performance.now();
  const reply = { text: "", firstTokenMs: null, arrivals: [], final: null };
  try {
    for await (const line of ndjson(await openStream(run, settings, limit.signal))) {
      addLine(reply, line, performance.now() - started);
      onText(reply.text);
    }
  } catch (error) {
    throw hasTimedOut(limit) ? new Error(`no reply within ${REPLY_TIMEOUT_MS / 1000} s`) : error;
  }
  return reply;
}

// Ollama's own timing (eval_duration, in ns) says how long generating took; a buffering proxy delivers
// every line together at the end instead. Too short a generation cannot tell the two apart.
export function assessStream(reply, thresholds) {
  const generationMs = (reply.final?.eval_duration ?? 0) / NANOSECONDS_PER_MS;
  const arrivals = reply.arrivals;
  const spreadMs = arrivals.length > 1 ? arrivals[arrivals.length - 1] - arrivals[0] : 0;
  const known = generationMs >= thresholds.minGenerationMs;
  const buffered = known && spreadMs < generationMs * thresholds.maxSpreadRatio;
  return { buffered, known, generationMs, spreadMs };
}

export function tokensPerSecond(final) {
  const seconds = (final?.eval_duration ?? 0) / 1e9;
  return seconds > 0 ? final.eval_count / seconds : 0;
}
