// On every page: mounts the checker once per page shown (instant navigation too) and
// unmounts the last one. Only the checker page imports the rest.
let stop;
let shown = 0;
const start = async () => {
  const current = ++shown;
  stop?.();
  const root = document.querySelector("[data-ollama-checker]");
  if (!root) return;
  const { mount } = await import("./view.js");
  if (current === shown) stop = mount(root); // no newer page came meanwhile
};
window.document$ ? window.document$.subscribe(start) : start();
