// Reading what the reader typed: Ollama's URL, and the address MarkItUp is opened at.

// A host as a URL parser leaves it: a name, an IPv4 address, or an IPv6 address in brackets.
// Chrome's parser lets junk through (a space becomes %20), so the host is checked again.
const HOST_PATTERN = /^([\w.-]+|\[[\da-f:.]+\])$/i;
const SCHEME_PATTERN = /^([a-z][a-z\d+.-]*):/i;
// "host:port" with no scheme looks like a scheme to a URL parser ("localhost:11434").
const HOST_AND_PORT_PATTERN = /^[^:/?#]+:\d+([/?#]|$)/;

function splitScheme(text) {
  const scheme = SCHEME_PATTERN.exec(text)?.[1];
  const bare = !scheme || HOST_AND_PORT_PATTERN.test(text);
  return { scheme, bare };
}

function authorityOf(text) {
  const withoutScheme = text.replace(/^[^:]+:\/*/, "");
  return withoutScheme.split(/[/?#]/)[0];
}

function parse(text) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

// Common to both fields: an http(s) URL with a usable host and port and no user name.
function readHttpUrl(raw) {
  const text = raw.trim();
  if (!text) {
    return { error: "Enter an address." };
  }
  const { scheme, bare } = splitScheme(text);
  if (!bare && !/^https?$/i.test(scheme)) {
    return { error: `"${scheme}:" addresses cannot reach Ollama: use http:// or https://.` };
  }
  const full = bare ? "http://" + text : text;
  const authority = authorityOf(full);
  const port = /:(\d+)$/.exec(authority)?.[1];
  if (port && !(Number(port) > 0 && Number(port) < 65536)) {
    return { error: `Port ${port} is out of range (1 to 65535).` };
  }
  const url = parse(full);
  if (!url || !HOST_PATTERN.test(url.hostname)) {
    return { error: `Cannot read a host and port from "${authority}".` };
  }
  if (url.username || url.password) {
    return { error: "Remove the user name and password." };
  }
  return { url, bare, port };
}

// Ollama's address. `defaultPort` (from providers.yml) is added when there is neither scheme nor port.
export function normaliseOllamaUrl(raw, defaultPort) {
  const read = readHttpUrl(raw);
  if (read.error) {
    return read;
  }
  const { url, bare, port } = read;
  if (bare && !port) {
    url.port = defaultPort;
  }
  const schemePort = url.protocol === "https:" ? 443 : 80;
  const note = port || bare ? "" : ` (no port: so ${schemePort}, not ${defaultPort})`;
  return { url, note };
}

// MarkItUp's origin, as the browser sends it in the Origin header; empty means its default address.
export function readAppOrigin(raw, defaultOrigin) {
  if (!raw.trim()) {
    return { origin: defaultOrigin, isDefault: true };
  }
  const read = readHttpUrl(raw);
  if (read.error) {
    return { error: `Where you open MarkItUp: ${read.error}` };
  }
  return { origin: read.url.origin, isDefault: false };
}
