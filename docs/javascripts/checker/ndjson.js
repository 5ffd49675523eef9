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
