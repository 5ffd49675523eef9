"""Catching Content-Security-Policy violations in any browser a test drives.

A browser reports each violation as a `securitypolicyviolation` event on the document. LISTENER_SCRIPT, run
before the page's own scripts, records every one in `window.__cspViolations` and passes it to
`window.__reportCspViolation` when a test harness has exposed that function.

- Playwright (any engine: chromium, firefox, webkit): `watch(context_or_page, sink)` adds the script to every
  document and collects into `sink`, across full loads and instant navigation. browser_support does this for
  every context the shared `browser` fixture opens, and fails any test that saw a violation.
- WebDriver (Selenium), which has no way to run a script before the page's own: call
  `selenium_violations(driver)` after each load and action. It installs the listener and also reads the
  browser's buffered reports (ReportingObserver), which hold violations from before the listener existed,
  where the engine keeps them.

Playwright's wait_for_function evaluates a plain expression string with eval() on every poll, which a policy
without 'unsafe-eval' refuses after the first; a function string is evaluated once. `watch` therefore turns the
expression strings its pages receive into functions (`as_function`), so tests keep their usual style.

Violations inside Web Workers fire in the worker, not the document; a policy that blocks the search worker's
own requests shows up as failing search instead.
"""

from __future__ import annotations

import re
from typing import Any

LISTENER_SCRIPT = """
(() => {
  if (window.__cspViolations) {
    return;
  }
  const violations = [];
  Object.defineProperty(window, "__cspViolations", { value: violations });
  document.addEventListener("securitypolicyviolation", (event) => {
    const record = {
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
      page: location.href,
    };
    violations.push(record);
    if (typeof window.__reportCspViolation === "function") {
      window.__reportCspViolation(record);
    }
  }, true);
})();
"""

# For WebDriver: install the listener, then return what it recorded plus the reports the engine buffered
# before (ReportingObserver with buffered: true), as one list. Run with execute_async_script.
SELENIUM_COLLECT = LISTENER_SCRIPT + """
const done = arguments[arguments.length - 1];
const recorded = window.__cspViolations.slice();
if (typeof ReportingObserver !== "function") {
  done(recorded);
  return;
}
const fromReport = (report) => ({
  directive: report.body.effectiveDirective,
  blocked: report.body.blockedURL,
  source: report.body.sourceFile,
  line: report.body.lineNumber,
  sample: report.body.sample,
  page: report.url,
});
const reports = [];
const observer = new ReportingObserver((found) => reports.push(...found.map(fromReport)), {
  types: ["csp-violation"],
  buffered: true,
});
observer.observe();
// Buffered reports arrive through the callback, in a task after observe().
setTimeout(() => {
  observer.disconnect();
  done(recorded.length >= reports.length ? recorded : reports);
}, 200);
"""


_FUNCTION = re.compile(r"^\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")


def as_function(expression: str) -> str:
    """A JavaScript expression as an arrow function returning it; a function is returned unchanged."""
    return expression if _FUNCTION.match(expression) else f"() => ({expression})"


def _poll_without_eval(page: Any) -> None:
    wait_for_function = page.wait_for_function

    def waiting(expression: str, *args: Any, **kwargs: Any) -> Any:
        return wait_for_function(as_function(expression), *args, **kwargs)

    page.wait_for_function = waiting


def watch(target: Any, sink: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Record into `sink` every violation in the pages of a Playwright BrowserContext (or one Page's context)."""
    context = getattr(target, "context", target)
    if getattr(context, "_csp_sink", None) is not None:
        return context._csp_sink
    context._csp_sink = sink
    context.expose_binding("__reportCspViolation", lambda source, record: sink.append(record))
    context.add_init_script(script=LISTENER_SCRIPT)
    for page in context.pages:
        _poll_without_eval(page)
    context.on("page", _poll_without_eval)
    return sink


def selenium_violations(driver: Any) -> list[dict[str, Any]]:
    """The violations a WebDriver session's current page has seen (see the module docstring)."""
    return list(driver.execute_async_script(SELENIUM_COLLECT) or [])


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {v.get('directive')} blocked {v.get('blocked') or 'inline'} on {v.get('page')}"
        f" ({v.get('source')}:{v.get('line')}) {v.get('sample') or ''}".rstrip()
        for v in violations
    )


def assert_none(violations: list[dict[str, Any]]) -> None:
    assert not violations, f"Content-Security-Policy violations:\n{describe(violations)}"
