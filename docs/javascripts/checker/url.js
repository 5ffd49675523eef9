// Normalise and validate the typed address.
export const isLoopback = (h) => /^(localhost|.+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(h);

// `port`: Ollama's default (providers.yml), added when there is neither scheme nor port.
export function normalise(raw, port) {
  let s = raw.trim();
  const m = /^([a-z][a-z\d+.-]*):/i.exec(s), bare = !m || /^[^:/?#]+:\d+([/?#]|$)/.test(s);
  if (!s) return { error: "Enter an address." };
  if (!bare && !/^https?$/i.test(m[1])) return { error: `"${m[1]}:" addresses cannot reach Ollama: use http:// or https://.` };
  if (bare) s = "http://" + s;
  const auth = s.replace(/^[^:]+:\/*/, "").split(/[/?#]/)[0], given = /:(\d+)$/.exec(auth)?.[1];
  if (given && !(given > 0 && given < 65536)) return { error: `Port ${given} is out of range (1 to 65535).` };
  let u;
  try { u = new URL(s); } catch {}
  // Chrome's parser lets junk through (a space becomes %20).
  if (!/^([\w.-]+|\[[\da-f:.]+\])$/i.test(u ? u.hostname : "")) return { error: `Cannot read a host and port from "${auth}".` };
  if (u.username || u.password) return { error: "Remove the user name and password." };
  if (bare && !given) u.port = port;
  return { url: u, note: given || bare ? "" : ` (no port: so ${u.protocol === "https:" ? 443 : 80}, not ${port})` };
}
