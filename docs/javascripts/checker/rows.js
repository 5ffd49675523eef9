// The list of checks: one row per [data-check], its status and detail, and the time it took.
import { fillText } from "./fill.js";

const TIMED = new Set(["pass", "fail", "warn"]);

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
    const element = elements.get(id);
    element.dataset.status = status;
    fillText(element, { ...row, badge: status === "running" ? "running…" : status });
  }

  function reset() {
    rows = {};
    for (const [id, element] of elements) {
      rows[id] = {};
      element.removeAttribute("data-status");
    }
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
