// Drives partials/checker.html: the form, the verdict, the reply test and the report.
import { readAppOrigin } from "./addresses.js";
import { runChecks } from "./checks.js";
import { createRows } from "./markup.js";
import { originsAdvice } from "./origins.js";
import { buildReport, copyText, showTerminal, terminalLines } from "./output.js";
import { assessStream, testReply, tokensPerSecond } from "./reply.js";
import { originsSummary, showOrigins, showVerdict } from "./verdict.js";

const STORAGE_KEY = "ollama-checker:url";
const READY_TEXT = "Ready. Nothing runs until you press the button; the only requests go to the URL you enter.";

function remember(url) {
  try {
    localStorage.setItem(STORAGE_KEY, url);
  } catch {
    // storage may be off: then nothing is remembered
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

// Only fields the reader has not typed in yet get the query's, the last used or the default value.
function prefill(form, settings) {
  const query = new URLSearchParams(location.search);
  form.url.value ||= query.get("url") || remembered() || settings.defaultUrl;
  form.app.value ||= query.get("app") ?? "";
}

function readForm(form, settings) {
  const seconds = Number(form.timeout.value);
  const timeoutMs = seconds > 0 ? seconds * 1000 : settings.timeoutMs;
  return { url: form.url.value, app: form.app.value, model: form.model.value, timeoutMs };
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
  const first = `first token after ${Math.round(reply.firstTokenMs ?? 0)} ms`;
  if (!stream.buffered) {
    const unknown = stream.known ? "" : " Too quick to tell whether a proxy buffers the stream.";
    return `${model}: ${first}, ${speed}.${unknown} Reply: ${reply.text}`;
  }
  return `${model}: Ollama spent ${Math.round(stream.generationMs)} ms generating, yet the lines arrived` +
    ` within ${Math.round(stream.spreadMs)} ms of each other: a proxy in between buffers the stream, so` +
    " MarkItUp's chat looks frozen, then shows the whole reply. Fix: proxy_buffering off; in nginx's" +
    ` location for Ollama. The ${first} is not meaningful here. ${speed}. Reply: ${reply.text}`;
}

class CheckerView {
  constructor(root, settings, signal) {
    const find = (selector) => root.querySelector(selector);
    Object.assign(this, { root, settings, signal, find, rows: createRows(root), last: null, busy: false });
    this.form = find("form");
    this.terminal = document.querySelector("[data-checker-terminal]");
  }

  setBusy(busy, text) {
    this.busy = busy;
    this.find("[data-checker-output]").setAttribute("aria-busy", String(busy));
    this.find("[data-checker-status]").textContent = text;
  }

  finish() {
    const { last, settings } = this;
    this.find("[data-checker-md]").textContent = buildReport(last, this.rows.entries(), settings);
    this.setBusy(false, `Verdict: ${settings.verdicts[last.verdict].title} (${last.verdict}).`);
  }

  startRun() {
    this.setBusy(true, "Checking…");
    this.root.dataset.state = "running";
    delete this.root.dataset.verdict;
    this.find("[data-checker-verdict]").hidden = true;
    this.find("[data-checker-tools]").hidden = true;
    this.find("[data-checker-checks]").hidden = false;
    this.find("[data-checker-reply]").textContent = "";
    this.rows.reset();
  }

  showResult(run, input) {
    const { settings, find } = this;
    const origins = readOrigins(input, settings);
    this.last = { ...run, input: input.url, time: new Date().toISOString(), appOrigin: origins.appOrigin };
    this.last.originsSummary = originsSummary(origins, settings.originsEnv);
    if (run.url) {
      remember(run.url);
      showTerminal(this.terminal, find("[data-checker-lines]"), terminalLines(this.last, input), settings);
    }
    showVerdict(find("[data-checker-verdict]"), run, settings);
    showOrigins(find("[data-checker-origins]"), find("[data-checker-platform]"), origins, settings);
    this.form.app.setAttribute("aria-invalid", String(Boolean(origins.error)));
    find("[data-checker-chat]").disabled = !run.models.length;
    find("[data-checker-verdict]").hidden = false;
    find("[data-checker-tools]").hidden = false;
    this.root.dataset.verdict = run.verdict;
    this.root.dataset.state = "done";
    this.finish();
  }

  async onSubmit(event) {
    event.preventDefault();
    if (this.busy) {
      return;
    }
    this.startRun();
    const input = readForm(this.form, this.settings);
    const failed = { verdict: "unreachable", caseId: "", models: [] };
    const run = await runChecks(input, this.settings, this.rows.show, this.signal).catch(() => failed);
    if (!this.signal.aborted) {
      this.rows.skipUnfinished();
      this.showResult(run, input);
    }
  }

  async onTestReply() {
    if (this.busy) {
      return;
    }
    this.setBusy(true, "Testing a reply…");
    this.rows.show("chat", "running");
    const model = this.last.model || this.last.models[0];
    const replyBox = this.find("[data-checker-reply]");
    try {
      const run = { ...this.last, chatModel: model };
      const reply = await testReply(run, this.settings, this.signal, (text) => {
        replyBox.textContent = text;
      });
      const stream = assessStream(reply, this.settings.buffering);
      this.rows.show("chat", stream.buffered ? "warn" : "pass", describeReply(model, reply, stream));
    } catch (error) {
      if (this.signal.aborted) {
        return;
      }
      this.rows.show("chat", "fail", `${model}: ${error.message}`);
    }
    this.finish();
  }

  listen() {
    const options = { signal: this.signal };
    const copyButton = this.find("[data-checker-copy-report]");
    const markdown = this.find("[data-checker-md]");
    this.form.addEventListener("submit", (event) => this.onSubmit(event), options);
    this.find("[data-checker-chat]").addEventListener("click", () => this.onTestReply(), options);
    copyButton.addEventListener("click", () => copyText(markdown.textContent, markdown, copyButton), options);
  }
}

export function mount(root) {
  const settings = readSettings(root);
  if (!settings) {
    return () => {};
  }
  const controller = new AbortController();
  const view = new CheckerView(root, settings, controller.signal);
  prefill(view.form, settings);
  view.listen();
  // The button is disabled in the markup until now: an early press can neither be lost nor reload the page.
  view.find("form [type=submit]").disabled = false;
  view.setBusy(false, READY_TEXT);
  root.dataset.state = "ready";
  return () => controller.abort();
}
