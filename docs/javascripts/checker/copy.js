// Copy to the clipboard; where that is not allowed (an http page is no secure context), select the text.
const LABEL_RESET_MS = 2500;

function selectInstead(element) {
  element.closest("details")?.setAttribute("open", "");
  getSelection().selectAllChildren(element);
}

export async function copyText(text, element, button) {
  let copied = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    selectInstead(element);
    copied = false;
  }
  button.dataset.label ??= button.textContent;
  button.textContent = copied ? "Copied" : "Selected: press Ctrl+C";
  setTimeout(() => {
    button.textContent = button.dataset.label;
  }, LABEL_RESET_MS);
}

// A <div class="checker-line"> with a <code> and a copy button, showing `text`. The handler is a property,
// so showing another text replaces it instead of adding a listener.
export function showLine(line, text) {
  const code = line.querySelector("code");
  const button = line.querySelector("button");
  code.textContent = text;
  button.setAttribute("aria-label", "Copy: " + text);
  button.onclick = () => copyText(text, code, button);
}
