// On every page: mounts the checker once per page shown (instant navigation too) and unmounts the last
// one. Only the checker page imports the rest.
let unmount = null;
let pagesShown = 0;

async function mountChecker() {
  const thisPage = ++pagesShown;
  unmount?.();
  unmount = null;
  const root = document.querySelector("[data-ollama-checker]");
  if (!root) {
    return;
  }
  const { mount } = await import("./view.js");
  if (thisPage === pagesShown) { // no newer page came meanwhile
    unmount = mount(root);
  }
}

if (window.document$) {
  window.document$.subscribe(mountChecker);
} else {
  mountChecker();
}
