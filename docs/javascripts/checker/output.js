// What the reader takes away: terminal lines and the Markdown report, with copy buttons.
const LABEL_RESET_MS = 2500;

// Copy to the clipboard; where that is not allowed (an http page is no secure context), select the text.
export async function copyText(text, element, button) {
  let copied = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    element.closest("details")?.setAttribute("open", "");
    getSelection().selectAllChildren(element);
    copied = false;
  }
  button.dataset.label ??= button.textContent;
  button.textContent = copied ? "Copied" : "Selected: press Ctrl+C";
  setTimeout(() => {
    button.textContent = button.dataset.label;
  }, LABEL_RESET_MS);
}

// A .checker-line (a <code> and a copy button) showing `text`. The handler is a property, so showing
// another text replaces it rather than adding a listener.
export function showLine(line, text) {
  const code = line.querySelector("code");
  const button = line.querySelector(".checker-copy");
  code.textContent = text;
  button.setAttribute("aria-label", "Copy: " + text);
  button.onclick = () => copyText(text, code, button);
}

// Quoted for a POSIX shell unless plainly safe.
function shellQuote(text) {
  return /^[\w.:/@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

export function terminalLines(run, input) {
  const model = input.model.trim();
  const modelOption = model ? " --model " + shellQuote(model) : "";
  const globOff = run.url.includes("[") ? "g" : ""; // curl reads [..] in an IPv6 address as a glob
  return [
    `python3 ollama_check.py ${shellQuote(run.url)}${modelOption} --origin ${shellQuote(run.appOrigin)}`,
    `curl -sS${globOff} -m ${Math.ceil(input.timeoutMs / 1000)} ${shellQuote(run.url + "/api/version")}`,
  ];
}

export function showTerminal(box, template, lines, settings) {
  const fragment = template.content.cloneNode(true);
  fragment.querySelectorAll(".checker-line").forEach((line, index) => showLine(line, lines[index]));
  fragment.querySelector("[data-script]").href = settings.scriptHref;
  box?.replaceChildren(fragment);
}

const tableCell = (text) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");

// The run as Markdown, to paste into an issue; nothing is sent anywhere.
export function buildReport(run, rows, settings) {
  return [
    "## Ollama connection check",
    "",
    `- URL: ${run.url || run.input}`,
    `- Verdict: **${run.verdict}** (${settings.verdicts[run.verdict].title})`,
    `- MarkItUp: ${run.originsSummary}`,
    `- Page origin: ${location.origin}`,
    `- Browser: ${navigator.userAgent}`,
    `- Time: ${run.time}`,
    "",
    "| Check | Status | Time | Detail |",
    "|---|---|---|---|",
    ...rows.map(([id, row]) => `| ${id} | ${row.status} | ${row.ms} | ${tableCell(row.detail)} |`),
  ].join("\n");
}
