// Search for the portal, with Pagefind (https://pagefind.app), in Vietnamese.
//
// Pagefind folds tone marks ("ke hoach" finds "kế hoạch") and ranks a result whose marks match the
// query above one that matches only when folded. It cannot fold đ, which has no decomposition, so
// "dao tao" would miss "Đào tạo": every query is also searched with each syllable-initial "d" read
// as "đ", and the results of the query as typed come first.
//
// Bundles: the whole portal at <root>/pagefind/, and one per unit at <root>/<unit>/pagefind/ for
// the default search of a unit's pages (the unit and the units under it).

const MAX_VARIANTS = 8;
const PAGE_SIZE = 10;
const PANEL_SIZE = 6;
const loaded = new Map();

/** The query as typed, then with "d" → "đ" at the start of syllables, fewest changes first. */
export function variants(query) {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const options = words.map((w) => {
    const lower = w.toLocaleLowerCase("vi");
    return lower.startsWith("d") ? [w, "đ" + lower.slice(1)] : [w];
  });
  let combos = [[]];
  for (const choice of options) {
    combos = combos.flatMap((c) => choice.map((w, i) => [...c, [w, i]]));
  }
  combos.sort((a, b) => a.reduce((s, [, i]) => s + i, 0) - b.reduce((s, [, i]) => s + i, 0));
  return combos.slice(0, MAX_VARIANTS).map((c) => c.map(([w]) => w).join(" "));
}

async function bundle(root, path) {
  const base = new URL(path, new URL(root, location.href)).href;
  if (!loaded.has(base)) {
    loaded.set(base, (async () => {
      const pagefind = await import(base + "pagefind.js");
      await pagefind.options({ basePath: base, baseUrl: new URL(root, location.href).pathname });
      await pagefind.init();
      return pagefind;
    })());
  }
  return loaded.get(base);
}

/** Search every variant; merge without duplicates (as typed first), or by date when asked. */
export async function search(pagefind, query, filters, byDate) {
  const options = { filters };
  if (byDate) options.sort = { date: "desc" };
  const lists = [];
  for (const variant of variants(query)) {
    const found = await pagefind.search(variant, options);
    if (found) lists.push(found.results);
  }
  const seen = new Set();
  const merged = [];
  for (const list of lists) {
    for (const result of list) {
      if (!seen.has(result.id)) {
        seen.add(result.id);
        merged.push(result);
      }
    }
  }
  if (byDate && lists.length > 1) {
    // each list is sorted by date; load the first page of each and merge by date
    const head = await Promise.all(merged.slice(0, PAGE_SIZE * lists.length).map(async (r) => [r, await r.data()]));
    head.sort((a, b) => (b[1].meta.iso || "").localeCompare(a[1].meta.iso || ""));
    return head.map(([r, data]) => ({ ...r, data: async () => data })).concat(merged.slice(head.length));
  }
  return merged;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function resultItem(data) {
  const meta = data.meta || {};
  const link = el("a", { class: "ck-item__title", href: data.url }, meta.title || data.url);
  const parts = [meta.unit, meta.kind, meta.date, meta.number ? "Số " + meta.number : null].filter(Boolean);
  const line = el("span", { class: "ck-item__meta" }, parts.join(" · "));
  if (meta.status) line.append(" · ", el("span", { class: "ck-badge ck-badge--danger" }, meta.status));
  const excerpt = el("span", { class: "ck-result__excerpt" });
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds <mark> around matches
  return el("li", { class: "ck-item ck-result" }, link, line, excerpt);
}

async function render(list, results, start, count) {
  const items = await Promise.all(results.slice(start, start + count).map((r) => r.data()));
  for (const data of items) list.append(resultItem(data));
}

function filtersFor(scope, withSubordinates, kind, year, withdrawn) {
  const filters = {};
  if (scope) filters[withSubordinates ? "thuoc" : "don-vi"] = scope;
  if (kind) filters.loai = kind;
  if (year) filters.nam = year;
  if (!withdrawn) filters["trang-thai"] = "hien-hanh";
  return filters;
}

/** The box in the header: results as you type, in this unit or the whole portal. */
function headerBox(box) {
  const root = box.dataset.ckRoot;
  const input = box.querySelector(".ck-search__input");
  const panel = box.querySelector(".ck-search__panel");
  const form = box.querySelector("form");
  const scopeField = form.querySelector('[name="don-vi"]');
  let scope = box.dataset.ckScope;
  let timer = null;
  let run = 0;

  async function update() {
    const query = input.value.trim();
    const mine = ++run;
    if (query.length < 2) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    panel.replaceChildren(el("p", { class: "ck-muted" }, "Đang tìm…"));
    try {
      const path = scope && scope === box.dataset.ckScope ? box.dataset.ckScopeBundle : "pagefind/";
      const useFilter = scope && path === "pagefind/";
      const pagefind = await bundle(root, path);
      const results = await search(pagefind, query, filtersFor(useFilter ? scope : "", true, "", "", false), false);
      if (mine !== run) return;
      const controls = el("p", { class: "ck-search__scope" });
      if (box.dataset.ckScope) {
        for (const [value, label] of [[box.dataset.ckScope, "Trong " + box.dataset.ckScopeName], ["", "Toàn cổng"]]) {
          const button = el("button", { type: "button", "aria-pressed": String(scope === value) }, label);
          button.addEventListener("click", () => { scope = value; scopeField.value = value; update(); input.focus(); });
          controls.append(button, " ");
        }
      }
      const list = el("ul", { class: "ck-list" });
      panel.replaceChildren(controls);
      if (results.length === 0) {
        panel.append(el("p", {}, "Không tìm thấy văn bản nào. Thử bỏ bớt từ, hoặc tìm trên toàn cổng."));
      } else {
        panel.append(el("p", { class: "ck-muted" }, `${results.length} văn bản`), list);
        await render(list, results, 0, PANEL_SIZE);
      }
      const more = new URL(form.action, location.href);
      more.searchParams.set("q", query);
      if (scope) { more.searchParams.set("don-vi", scope); more.searchParams.set("tructhuoc", "1"); }
      panel.append(el("p", {}, el("a", { href: more.href }, "Xem tất cả kết quả, lọc theo loại, năm và sắp xếp")));
    } catch (error) {
      panel.replaceChildren(el("p", {}, "Không tải được chỉ mục tìm kiếm. Hãy thử lại, hoặc xem danh sách văn bản của từng đơn vị."));
      console.error(error);
    }
  }

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 200); });
  input.addEventListener("focus", () => { if (input.value.trim().length >= 2) update(); });
  document.addEventListener("click", (event) => { if (!box.contains(event.target)) panel.hidden = true; });
  input.addEventListener("keydown", (event) => { if (event.key === "Escape") { panel.hidden = true; input.blur(); } });
  box.classList.add("ck-search--ready");
}

/** The search page: every filter, sorting, the whole result list. */
function searchPage(form) {
  const root = form.dataset.ckRoot;
  const out = document.querySelector(".ck-results");
  const params = new URLSearchParams(location.search);
  for (const [name, value] of params) {
    const field = form.elements[name];
    if (!field) continue;
    if (field.type === "checkbox") field.checked = value === "1";
    else field.value = value;
  }
  if (!params.has("tructhuoc") && form.elements.tructhuoc) form.elements.tructhuoc.checked = true;

  async function run() {
    const query = form.elements.q.value.trim();
    const scope = form.elements["don-vi"].value;
    const withSubordinates = form.elements.tructhuoc.checked;
    const option = form.elements["don-vi"].selectedOptions[0];
    const own = option && option.dataset.bundle;
    const path = scope && withSubordinates && own ? own : "pagefind/";
    const filters = filtersFor(path === "pagefind/" ? scope : "", withSubordinates, form.elements.loai.value,
                               form.elements.nam.value, form.elements.thuhoi.checked);
    const byDate = form.elements.sx.value === "moi";
    out.replaceChildren();
    if (!query) return;
    out.append(el("p", { class: "ck-muted" }, "Đang tìm…"));
    try {
      const pagefind = await bundle(root, path);
      const results = await search(pagefind, query, filters, byDate);
      out.replaceChildren(el("p", { class: "ck-results__count" },
        results.length ? `Tìm thấy ${results.length} văn bản.` : "Không tìm thấy văn bản nào phù hợp."));
      const list = el("ul", { class: "ck-list" });
      out.append(list);
      let shown = 0;
      const more = el("button", { type: "button", class: "md-button" }, "Xem thêm");
      more.addEventListener("click", async () => { await render(list, results, shown, PAGE_SIZE); shown += PAGE_SIZE; more.hidden = shown >= results.length; });
      await render(list, results, 0, PAGE_SIZE);
      shown = PAGE_SIZE;
      more.hidden = shown >= results.length;
      out.append(more);
    } catch (error) {
      out.replaceChildren(el("p", {}, "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau."));
      console.error(error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", "?" + next.toString());
    run();
  });
  for (const field of form.querySelectorAll("select, input[type=checkbox]")) field.addEventListener("change", () => form.requestSubmit());
  form.classList.add("ck-searchpage--ready");
  run();
}

for (const box of document.querySelectorAll("[data-ck-search]")) headerBox(box);
for (const form of document.querySelectorAll("[data-ck-search-page]")) searchPage(form);
