// The verdict box: title, cause and the fix for this case, then the OLLAMA_ORIGINS advice for MarkItUp.
import { showLine } from "./output.js";
import { fillText } from "./markup.js";

export function showVerdict(box, run, settings) {
  const verdict = settings.verdicts[run.verdict];
  const good = run.verdict === "ok";
  box.dataset.tone = good ? "pass" : "fail";
  fillText(box, {
    ...verdict,
    fix: verdict.fixes[run.caseId] ?? verdict.fix,
    badge: good ? "OK" : "Problem",
    diagnosis: settings.diagnosisHref,
  });
}

function platformSteps(template, value, settings) {
  return settings.platforms.map((platform) => {
    const details = template.content.firstElementChild.cloneNode(true);
    details.querySelector("summary").textContent = platform.name;
    const steps = platform.setEnv.replaceAll("{name}", settings.originsEnv).replaceAll("{value}", value);
    details.querySelector("code").textContent = steps;
    return details;
  });
}

function appSentence(advice, env) {
  const { origin, admitted } = advice.app;
  return admitted
    ? `MarkItUp at ${origin} is among the origins Ollama admits by default: it needs no ${env}.`
    : `MarkItUp at ${origin} is not among Ollama's default origins. This line makes MarkItUp work:`;
}

function pageSentence(advice, env) {
  const page = advice.page;
  if (page.opaque) {
    return `This page was opened from a file, and no ${env} value admits that: open it over http to check.`;
  }
  if (!page.value) {
    return "";
  }
  return advice.app.admitted
    ? `This page (${page.origin}) is not MarkItUp and not among the default origins. Only to let this page check:`
    : `This page (${page.origin}) is not MarkItUp either. To make MarkItUp work and let this page check:`;
}

function showPart(part, sentence, value) {
  part.hidden = !sentence;
  part.querySelector("p").textContent = sentence;
  const line = part.querySelector(".checker-line");
  line.hidden = !value;
  if (value) {
    showLine(line, value);
  }
}

export function showOrigins(section, template, origins, settings) {
  const env = settings.originsEnv;
  const find = (selector) => section.querySelector(selector);
  if (origins.error) {
    showPart(find("[data-origins-line]"), origins.error, "");
    showPart(find("[data-origins-page]"), "", "");
    find("[data-origins-how]").hidden = true;
    return;
  }
  const { app, page } = origins.advice;
  showPart(find("[data-origins-line]"), appSentence(origins.advice, env), app.value && `${env}=${app.value}`);
  showPart(find("[data-origins-page]"), pageSentence(origins.advice, env), page.value && `${env}=${page.value}`);
  const value = page.value || app.value;
  find("[data-origins-how]").hidden = !value;
  find("[data-platforms]").replaceChildren(...(value ? platformSteps(template, value, settings) : []));
}

export function originsSummary(origins, env) {
  if (origins.error) {
    return origins.error;
  }
  const app = origins.advice.app;
  return app.admitted ? `${app.origin}, admitted by default` : `${app.origin}, needs ${env}=${app.value}`;
}
