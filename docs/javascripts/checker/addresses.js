// Reading what the reader typed (Ollama's URL, MarkItUp's address) and which address space a host is in.

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

function readScheme(text) {
  const { scheme, bare } = splitScheme(text);
  if (!bare && !/^https?$/i.test(scheme)) {
    return { error: `"${scheme}:" addresses cannot reach Ollama: use http:// or https://.` };
  }
  return { full: bare ? "http://" + text : text, bare };
}

function readAuthority(full) {
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
  return { url, port };
}

// Common to both fields: an http(s) URL with a usable host and port and no user name.
function readHttpUrl(raw) {
  const text = raw.trim();
  if (!text) {
    return { error: "Enter an address." };
  }
  const scheme = readScheme(text);
  if (scheme.error) {
    return scheme;
  }
  const authority = readAuthority(scheme.full);
  return authority.error ? authority : { ...authority, bare: scheme.bare };
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

// Address spaces as Chrome's Local Network Access sees them: public, then local, then loopback.
const RANK = { public: 0, local: 1, loopback: 2 };

function ipv4Parts(hostname) {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname);
  return match ? match.slice(1).map(Number) : null;
}

function ipv4Space([first, second]) {
  if (first === 127) {
    return "loopback";
  }
  const isPrivate = first === 10 || (first === 172 && second >= 16 && second <= 31) ||
    (first === 192 && second === 168) || (first === 169 && second === 254);
  return isPrivate ? "local" : "public";
}

function ipv6Space(address) {
  if (address === "::1") {
    return "loopback";
  }
  // fc00::/7 (unique local) and fe80::/10 (link-local).
  return /^(f[cd][\da-f]{0,2}|fe[89ab][\da-f]?):/i.test(address) ? "local" : "public";
}

// The space of an IP literal or of a name that says it (localhost, *.localhost, *.local); else null.
function knownSpace(hostname) {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) {
    return "loopback";
  }
  if (host.endsWith(".local")) {
    return "local";
  }
  if (host.startsWith("[")) {
    return ipv6Space(host.slice(1, -1));
  }
  const parts = ipv4Parts(host);
  return parts ? ipv4Space(parts) : null;
}

// Where Ollama is: a plain name is usually a LAN name.
export const targetSpace = (hostname) => knownSpace(hostname) ?? "local";

// Where this page is: a plain name is usually the published site.
export const pageSpace = (hostname) => knownSpace(hostname) ?? "public";

// Local Network Access applies only from a less private space to a more private one.
export const crossesIntoPrivate = (from, to) => RANK[to] > RANK[from];
