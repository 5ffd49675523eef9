// Address spaces as Chrome's Local Network Access sees them (public, then local, then loopback), and
// the feature tests and permission queries around them. Only an address's text is read: nothing is resolved.

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

// Chrome 142 and later: a request tagged with its target space may skip mixed-content blocking.
export const supportsTargetAddressSpace = () =>
  typeof Request === "function" && "targetAddressSpace" in Request.prototype;

async function queryPermission(name) {
  try {
    const status = await navigator.permissions.query({ name });
    return status.state;
  } catch {
    return null; // this browser does not know the name
  }
}

// Chrome 145 and later split the permission by space; 142 to 144 know only "local-network-access".
export async function localNetworkPermission(space) {
  const names = [space === "loopback" ? "loopback-network" : "local-network", "local-network-access"];
  for (const name of names) {
    const state = navigator.permissions ? await queryPermission(name) : null;
    if (state) {
      return state;
    }
  }
  return "unsupported";
}
