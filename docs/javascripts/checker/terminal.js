// The terminal lines for the address checked, each with a copy button.
import { showLine } from "./copy.js";

// Quoted for a POSIX shell unless plainly safe.
function shellQuote(text) {
  return /^[\w.:/@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

export function terminalLines(run, form) {
  const model = form.model.trim();
  const modelOption = model ? " --model " + shellQuote(model) : "";
  const globOff = run.url.includes("[") ? "g" : ""; // curl reads [..] in an IPv6 address as a glob
  const seconds = Math.ceil(form.timeoutMs / 1000);
  return [
    `python3 ollama_check.py ${shellQuote(run.url)}${modelOption} --origin ${shellQuote(run.appOrigin)}`,
    `curl -sS${globOff} -m ${seconds} ${shellQuote(run.url + "/api/version")}`,
  ];
}

export function showTerminal(box, template, lines, settings) {
  if (!box) {
    return;
  }
  const fragment = template.content.cloneNode(true);
  fragment.querySelectorAll(".checker-line").forEach((line, index) => showLine(line, lines[index]));
  fragment.querySelector("[data-script]").href = settings.scriptHref;
  box.replaceChildren(fragment);
}
