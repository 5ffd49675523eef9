// Filling the checker's markup, with text only (never HTML): fields by data attribute, and the check rows.
const TIMED = new Set(["pass", "fail", "warn"]);

export function fillText(element, values) {
  for (const target of element.querySelectorAll("[data-v]")) {
    target.textContent = values[target.dataset.v] ?? "";
  }
  for (const link of element.querySelectorAll("[data-href]")) {
    link.href = values[link.dataset.href];
  }
}

// One row per [data-check]: its status, detail and the time it took.
export function createRows(root) {
  const elements = new Map([...root.querySelectorAll("[data-check]")].map((item) => [item.dataset.check, item]));
  let rows = {};

  function show(id, status, detail = "") {
    const row = rows[id];
    const now = performance.now();
    if (status === "running") {
      row.startedAt = now;
    }
    const took = TIMED.has(status) ? Math.round(now - (row.startedAt ?? now)) + " ms" : "";
    Object.assign(row, { status, detail, ms: took });
    elements.get(id).dataset.status = status;
    fillText(elements.get(id), { ...row, badge: status === "running" ? "running…" : status });
  }

  function reset() {
    rows = Object.fromEntries([...elements.keys()].map((id) => [id, {}]));
    elements.forEach((element) => element.removeAttribute("data-status"));
  }

  // Rows a run never reached: skipped, the reply test offered as an option.
  function skipUnfinished() {
    for (const [id, row] of Object.entries(rows)) {
      if (!row.status || row.status === "running") {
        show(id, "skip", id === "chat" ? "Optional: Test a reply." : "Not run.");
      }
    }
  }

  return { show, reset, skipUnfinished, entries: () => Object.entries(rows) };
}
