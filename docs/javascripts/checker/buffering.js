// Did the stream arrive as Ollama wrote it? Ollama's own timings (nanoseconds, in the last line) say how
// long generating took; a proxy that buffers delivers every line together at the end instead.
const NANOSECONDS_PER_MS = 1e6;

export function assessStream(reply, thresholds) {
  const generationMs = (reply.final?.eval_duration ?? 0) / NANOSECONDS_PER_MS;
  const arrivals = reply.arrivals;
  const spreadMs = arrivals.length > 1 ? arrivals[arrivals.length - 1] - arrivals[0] : 0;
  if (generationMs < thresholds.minGenerationMs) {
    return { buffered: false, known: false, generationMs, spreadMs };
  }
  const buffered = spreadMs < generationMs * thresholds.maxSpreadRatio;
  return { buffered, known: true, generationMs, spreadMs };
}

export function tokensPerSecond(final) {
  const seconds = (final?.eval_duration ?? 0) / 1e9;
  return seconds > 0 ? final.eval_count / seconds : 0;
}
