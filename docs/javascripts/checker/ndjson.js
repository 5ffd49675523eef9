// NDJSON from a byte stream; lines may span chunks.
export async function* ndjson(body) {
  const r = body.getReader(), dec = new TextDecoder();
  let buf = "";
  try {
    for (let done; !done; ) {
      const c = await r.read();
      buf += dec.decode(c.value, { stream: !(done = c.done) });
      const lines = buf.split("\n");
      buf = done ? "" : lines.pop();
      for (const line of lines) if (line.trim()) yield JSON.parse(line);
    }
  } finally {
    r.cancel().catch(() => {});
  }
}
