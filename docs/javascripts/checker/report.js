// The run as Markdown; nothing is sent anywhere.
const cell = (s) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");

export const report = (r, rows, cfg) => [
  "## Ollama connection check", "",
  `- URL: ${r.url || r.input}`,
  `- Verdict: **${r.verdict}** (${cfg.verdicts[r.verdict].title})`,
  `- Page origin: ${location.origin}`,
  `- Browser: ${navigator.userAgent}`,
  `- Time: ${r.time}`, "",
  "| Check | Status | Time | Detail |", "|---|---|---|---|",
  ...Object.entries(rows).map(([id, x]) => `| ${id} | ${x.status} | ${x.ms} | ${cell(x.detail)} |`),
].join("\n");
