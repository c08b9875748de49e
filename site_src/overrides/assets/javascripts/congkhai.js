// The portal's small helpers in the browser (no inline script: the pages run under a strict
// Content-Security-Policy). Every page works without them; they make it easier to use:
// - the menu button on phones opens with Enter or Space, and says whether it is open;
// - a table wider than the screen can be scrolled with the keyboard (its box takes the focus);
// - the unit finder of the home page filters the list of units by name (with or without tone marks),
//   by commune and by kind of unit.

/** Lowercase, without tone marks, đ read as d: "Kim Đồng" and "kim dong" compare equal. */
export function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim();
}

function drawerButton() {
  const toggle = document.getElementById("__drawer");
  const button = document.querySelector(".ck-drawer-button");
  if (!toggle || !button) return;
  const sync = () => {
    button.setAttribute("aria-expanded", String(toggle.checked));
    button.setAttribute("aria-label", toggle.checked ? "Đóng danh mục trang" : "Mở danh mục trang");
  };
  button.addEventListener("click", () => {
    toggle.click();
    if (toggle.checked) {
      const first = document.querySelector(".md-sidebar--primary a[href]");
      if (first) setTimeout(() => first.focus(), 50);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) { toggle.click(); button.focus(); }
  });
  toggle.addEventListener("change", sync);
  sync();
}

function scrollableTables() {
  let count = 0;
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap, .ck-table-wrap")) {
    const wide = box.scrollWidth > box.clientWidth + 1;
    if (wide && !box.hasAttribute("tabindex")) {
      box.dataset.ckScroll = "";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `Bảng rộng số ${++count}: cuộn ngang để xem hết`);
    } else if (!wide && "ckScroll" in box.dataset) {
      delete box.dataset.ckScroll;
      for (const name of ["tabindex", "role", "aria-label"]) box.removeAttribute(name);
    }
  }
}

function unitFinder(finder) {
  const form = finder.querySelector("form");
  const items = [...finder.querySelectorAll("[data-ck-unit]")];
  const count = finder.querySelector(".ck-finder__count");
  const apply = () => {
    const words = fold(form.elements.ten.value).split(/\s+/).filter(Boolean);
    const commune = form.elements.xa ? form.elements.xa.value : "";
    const kind = form.elements.loai.value;
    const matches = new Set(items.filter((item) => words.every((w) => item.dataset.ten.includes(w))
      && (!commune || item.dataset.xa.split(" ").includes(commune))
      && (!kind || item.dataset.loai.split(" ").includes(kind))));
    // A unit that does not match stays, greyed, when a unit under it matches: the tree keeps its shape.
    for (const item of items) {
      const shown = matches.has(item) || [...item.querySelectorAll("[data-ck-unit]")].some((u) => matches.has(u));
      item.hidden = !shown;
      item.classList.toggle("ck-finder__context", shown && !matches.has(item));
    }
    const n = matches.size;
    count.textContent = n === items.length ? `${n} đơn vị` :
      n ? `${n} trong ${items.length} đơn vị phù hợp` : "Không có đơn vị nào phù hợp. Thử gõ ít chữ hơn hoặc chọn lại.";
  };
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.hidden = false;
  apply();
}

drawerButton();
for (const finder of document.querySelectorAll("[data-ck-finder]")) unitFinder(finder);
document.addEventListener("DOMContentLoaded", scrollableTables);
window.addEventListener("load", scrollableTables);
window.addEventListener("resize", scrollableTables);
