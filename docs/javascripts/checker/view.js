// Drives partials/checker.html: the form, the verdict, the reply test and the report.
import { assessStream, tokensPerSecond } from "./buffering.js";
import { testReply } from "./chat.js";
import { runChecks } from "./checks.js";
import { readAppOrigin } from "./address.js";
import { copyText } from "./copy.js";
import { originsAdvice } from "./origins.js";
import { buildReport } from "./report.js";
import { createRows } from "./rows.js";
import { showTerminal, terminalLines } from "./terminal.js";
import { originsSummary, showOrigins, showVerdict } from "./verdict.js";

const STORAGE_KEY = "ollama-checker:url";

function remember(url) {
  try {
    localStorage.setItem(STORAGE_KEY, url);
  } catch {
    // storage may be off: nothing to remember then
  }
}

function remembered() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function readSettings(root) {
  try {
    return JSON.parse(root.dataset.checkerConfig);
  } catch {
    return null;
  }
}

function findParts(root) {
  const find = (selector) => root.querySelector(selector);
  return {
    root,
    form: find("form"),
    submit: find("form [type=submit]"),
    output: find("[data-checker-output]"),
    status: find("[data-checker-status]"),
    checks: find("[data-checker-checks]"),
    verdict: find("[data-checker-verdict]"),
    origins: find("[data-checker-origins]"),
    platform: find("[data-checker-platform]"),
    tools: find("[data-checker-tools]"),
    reply: find("[data-checker-reply]"),
    markdown: find("[data-checker-md]"),
    chatButton: find("[data-checker-chat]"),
    copyReport: find("[data-checker-copy-report]"),
    lines: find("[data-checker-lines]"),
    terminal: document.querySelector("[data-checker-terminal]"),
  };
}

// Only fields the reader has not typed in yet get the query's, the last used or the default value.
function prefill(form, settings) {
  const query = new URLSearchParams(location.search);
  if (!form.url.value) {
    form.url.value = query.get("url") || remembered() || settings.defaultUrl;
  }
  if (!form.app.value && query.get("app")) {
    form.app.value = query.get("app");
  }
}

function readForm(form, settings) {
  const seconds = Number(form.timeout.value);
  return {
    url: form.url.value,
    app: form.app.value,
    model: form.model.value,
    timeoutMs: seconds > 0 ? seconds * 1000 : settings.timeoutMs,
  };
}

function readOrigins(input, settings) {
  const app = readAppOrigin(input.app, settings.appDefaultOrigin);
  if (app.error) {
    return { error: app.error, appOrigin: location.origin };
  }
  return { advice: originsAdvice(app.origin, location.origin, settings), appOrigin: app.origin };
}

function describeReply(model, reply, stream) {
  const speed = `${tokensPerSecond(reply.final).toFixed(1)} tokens/s (${reply.final?.eval_count} tokens)`;
  const first = Math.round(reply.firstTokenMs ?? 0);
  if (stream.buffered) {
    return `${model}: Ollama spent ${Math.round(stream.generationMs)} ms generating, yet every line arrived` +
      ` within ${Math.round(stream.spreadMs)} ms at the end: a proxy in between buffers the stream, so` +
      " MarkItUp's chat looks frozen, then shows the whole reply. Fix: in nginx, proxy_buffering off;" +
      ` in the location for Ollama. First token after ${first} ms: not meaningful here. ${speed}.` +
      ` Reply: ${reply.text}`;
  }
  const unknown = stream.known ? "" : " Too quick to tell whether a proxy buffers the stream.";
  return `${model}: first token after ${first} ms, ${speed}.${unknown} Reply: ${reply.text}`;
}

export function mount(root) {
  const settings = readSettings(root);
  if (!settings) {
    return () => {};
  }
  const controller = new AbortController();
  const signal = controller.signal;
  const parts = findParts(root);
  const rows = createRows(root);
  let last = null;
  let busy = false;

  function setBusy(isBusy, text) {
    busy = isBusy;
    parts.output.setAttribute("aria-busy", String(isBusy));
    parts.status.textContent = text;
  }

  function finish() {
    parts.markdown.textContent = buildReport(last, rows.entries(), settings);
    setBusy(false, `Verdict: ${settings.verdicts[last.verdict].title} (${last.verdict}).`);
  }

  function startRun() {
    setBusy(true, "Checking…");
    root.dataset.state = "running";
    delete root.dataset.verdict;
    parts.verdict.hidden = true;
    parts.tools.hidden = true;
    parts.checks.hidden = false;
    parts.reply.textContent = "";
    rows.reset();
  }

  function showResult(run, input) {
    const origins = readOrigins(input, settings);
    last = { ...run, input: input.url, time: new Date().toISOString(), appOrigin: origins.appOrigin };
    last.originsSummary = originsSummary(origins, settings.originsEnv);
    if (run.url) {
      remember(run.url);
      showTerminal(parts.terminal, parts.lines, terminalLines(last, input), settings);
    }
    showVerdict(parts.verdict, run, settings);
    showOrigins(parts.origins, parts.platform, origins, settings);
    parts.form.app.setAttribute("aria-invalid", String(Boolean(origins.error)));
    parts.chatButton.disabled = !run.models.length;
    parts.verdict.hidden = false;
    parts.tools.hidden = false;
    root.dataset.verdict = run.verdict;
    root.dataset.state = "done";
    finish();
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    startRun();
    const input = readForm(parts.form, settings);
    const failed = { verdict: "unreachable", caseId: "", models: [] };
    const run = await runChecks(input, settings, rows.show, signal).catch(() => failed);
    if (signal.aborted) {
      return;
    }
    rows.skipUnfinished();
    showResult(run, input);
  }

  async function onTestReply() {
    if (busy) {
      return;
    }
    setBusy(true, "Testing a reply…");
    rows.show("chat", "running");
    const model = last.model || last.models[0];
    const showText = (text) => {
      parts.reply.textContent = text;
    };
    try {
      const reply = await testReply({ ...last, chatModel: model }, settings, signal, showText);
      const stream = assessStream(reply, settings.buffering);
      rows.show("chat", stream.buffered ? "warn" : "pass", describeReply(model, reply, stream));
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      rows.show("chat", "fail", `${model}: ${error.message}`);
    }
    finish();
  }

  prefill(parts.form, settings);
  parts.form.addEventListener("submit", onSubmit, { signal });
  parts.chatButton.addEventListener("click", onTestReply, { signal });
  parts.copyReport.addEventListener("click", () => copyText(parts.markdown.textContent, parts.markdown, parts.copyReport),
    { signal });
  // The button is disabled in the markup until now, so an early press can neither be lost nor reload the page.
  parts.submit.disabled = false;
  setBusy(false, "Ready. Nothing runs until you press the button; the only requests go to the URL you enter.");
  root.dataset.state = "ready";
  return () => controller.abort();
}
