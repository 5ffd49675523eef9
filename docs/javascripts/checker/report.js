// The run as Markdown, to paste into an issue; nothing is sent anywhere.
const tableCell = (text) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");

export function buildReport(run, rows, settings) {
  const verdict = settings.verdicts[run.verdict];
  return [
    "## Ollama connection check",
    "",
    `- URL: ${run.url || run.input}`,
    `- Verdict: **${run.verdict}** (${verdict.title})`,
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
