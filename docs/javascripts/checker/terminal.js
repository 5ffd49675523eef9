// Terminal lines with copy buttons, and copying itself.
const q = (s) => (/^[\w.:/@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

// Clipboard, else (http: no secure context) select the text.
export async function copy(text, el, btn) {
  let ok = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    el.closest("details")?.setAttribute("open", "");
    getSelection().selectAllChildren(el);
    ok = false;
  }
  const label = (btn.dataset.label ??= btn.textContent);
  btn.textContent = ok ? "Copied" : "Selected: press Ctrl+C";
  setTimeout(() => (btn.textContent = label), 2500);
}

export function terminal(box, tpl, url, f, cfg, signal) {
  const m = f.model.trim(), frag = tpl.content.cloneNode(true), lines = [
    `python3 ollama_check.py ${q(url)}${m ? " --model " + q(m) : ""} --origin ${q(location.origin)}`,
    `curl -sS${url.includes("[") ? "g" : ""} -m ${Math.ceil(f.timeoutMs / 1000)} ${q(url + "/api/version")}`];
  frag.querySelectorAll(".checker-line").forEach((d, i) => {
    const code = d.querySelector("code"), b = d.querySelector("button");
    code.textContent = lines[i];
    b.setAttribute("aria-label", "Copy: " + lines[i]);
    b.addEventListener("click", () => copy(lines[i], code, b), { signal });
  });
  frag.querySelector("[data-script]").href = cfg.scriptHref;
  box?.replaceChildren(frag);
}
