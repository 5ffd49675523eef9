// "Test a reply": one streamed /api/chat, with the time each line arrived.
import { ndjson } from "./ndjson.js";
import { REQUEST_DEFAULTS, hasTimedOut, withTimeout } from "./probes.js";

const REPLY_TIMEOUT_MS = 120000;

function chatRequest(model, settings) {
  const message = { role: "user", content: settings.chatPrompt };
  return JSON.stringify({
    model,
    messages: [message],
    stream: true,
    options: { num_predict: settings.chatNumPredict },
  });
}

async function openStream(url, model, settings, options, signal) {
  const response = await fetch(url + "/api/chat", {
    ...REQUEST_DEFAULTS,
    ...options,
    method: "POST",
    signal,
    headers: { "Content-Type": "application/json" },
    body: chatRequest(model, settings),
  });
  if (!response.ok) {
    const text = await response.text();
    throw new Error(`HTTP ${response.status} ${text.slice(0, 200)}`);
  }
  return response.body;
}

// Resolves to { text, firstTokenMs, arrivals, final }; `onText(text)` gets the reply so far.
export async function testReply(run, settings, signal, onText) {
  const limit = withTimeout(signal, REPLY_TIMEOUT_MS);
  const started = performance.now();
  const reply = { text: "", firstTokenMs: null, arrivals: [], final: null };
  try {
    const body = await openStream(run.url, run.chatModel, settings, run.context.options, limit.signal);
    for await (const line of ndjson(body)) {
      const arrived = performance.now() - started;
      if (line.error) {
        throw new Error(line.error);
      }
      reply.arrivals.push(arrived);
      if (line.message?.content) {
        reply.text += line.message.content;
        reply.firstTokenMs ??= arrived;
        onText(reply.text);
      }
      if (line.done) {
        reply.final = line;
      }
    }
  } catch (error) {
    throw hasTimedOut(limit) ? new Error(`no reply within ${REPLY_TIMEOUT_MS / 1000} s`) : error;
  }
  return reply;
}
