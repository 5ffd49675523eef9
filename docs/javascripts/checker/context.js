// Whether this page may call the address at all, and how: the "Page context" row.
import { crossesIntoPrivate, pageSpace, supportsTargetAddressSpace, targetSpace } from "./spaces.js";

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
  const target = `${context.mixed ? "plain http" : "the"} ${context.to} address`;
  const tagged = context.options?.targetAddressSpace;
  const how = tagged ? `, sent as a ${tagged} request (targetAddressSpace)` : "";
  return `${page} calling ${target}${how}.`;
}
