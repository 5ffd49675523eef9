// Filling markup by data attributes, with text only (never HTML).
export function fillText(element, values) {
  for (const target of element.querySelectorAll("[data-v]")) {
    target.textContent = values[target.dataset.v] ?? "";
  }
  for (const link of element.querySelectorAll("[data-href]")) {
    link.href = values[link.dataset.href];
  }
}
