// Whether this page may call the address at all, and how; the browser's local network permission.
import { crossesIntoPrivate, pageSpace, targetSpace } from "./addresses.js";

// Safari blocks http loopback from https pages; Chrome and Firefox let it through. No feature test tells
// this before a request, so this one rule reads the user agent (WebKit without Chrome's token).
function blocksHttpLoopback() {
  const agent = navigator.userAgent;
  return /AppleWebKit/.test(agent) && !/Chrome\/|Chromium\//.test(agent);
}

// How an https page may call a plain http address: with targetAddressSpace, plainly, or not at all.
function planMixedContent(space) {
  if (space === "public") {
    return { blocked: "public-address" };
  }
  if (supportsTargetAddressSpace()) {
    return { options: { targetAddressSpace: space } };
  }
  if (space === "loopback" && !blocksHttpLoopback()) {
    return { options: {} };
  }
  return { blocked: space === "loopback" ? "loopback" : "no-exemption" };
}

export function planContext(url) {
  const from = pageSpace(location.hostname);
  const to = targetSpace(url.hostname);
  const mixed = location.protocol === "https:" && url.protocol === "http:";
  const plan = mixed ? planMixedContent(to) : { options: {} };
  return { ...plan, mixed, from, to, crossing: crossesIntoPrivate(from, to) };
}

export function describeContext(context) {
  const page = `${location.protocol.slice(0, -1)} page (${context.from} address)`;
  const target = `a ${context.mixed ? "plain http " : ""}${context.to} address`;
  const tagged = context.options?.targetAddressSpace;
  const how = tagged ? `, sent as a ${tagged} request (targetAddressSpace)` : "";
  return `${page} calling ${target}${how}.`;
}

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

// Chrome splits the permission by address space; earlier releases knew only "local-network-access".
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
