// Search for the portal, with Pagefind (https://pagefind.app), in Vietnamese.
//
// Pagefind folds tone marks ("ke hoach" finds "kế hoạch") and ranks a result whose marks match the
// query above one that matches only when folded. It cannot fold đ, which has no decomposition, so
// "dao tao" would miss "Đào tạo": every query is also searched with each syllable-initial "d" read
// as "đ", and the results of the query as typed come first.
//
// Bundles: the whole portal at <root>/pagefind/, and one per unit at <root>/<unit>/pagefind/ for
// the default search of a unit's pages (the unit and the units under it). A province's portal
// bundle comes in parts, searched in parallel by worker threads (congkhai-search-worker.js).

const MAX_VARIANTS = 8;
const MAX_WORKERS = 4;
const PAGE_SIZE = 10;
const PANEL_SIZE = 6;
const loaded = new Map();
const datesOf = new WeakMap(); // bundle in parts → loader of {result id: yyyymmdd}

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

export async function bundle(root, path) {
  const base = new URL(path, new URL(root, location.href)).href;
  if (!loaded.has(base)) {
    loaded.set(base, (async () => {
      const baseUrl = new URL(root, location.href).pathname;
      // The portal bundle comes in parts (congkhai.json lists them), searched in worker threads
      // when there are several, else merged into one search.
      const guide = path === "pagefind/" ? await fetch(base + "congkhai.json").then((r) => r.json()) : null;
      const parts = (guide && guide.phan) || [];
      const dates = guide && guide.ngay ? once(() => fetch(base + guide.ngay).then((r) => r.json())) : null;
      if (parts.length && typeof Worker !== "undefined") {
        return pool(base, [base, ...parts.map((part) => base + part)], baseUrl, dates);
      }
      const pagefind = await import(base + "pagefind.js");
      await pagefind.options({ basePath: base, baseUrl });
      await pagefind.init();
      for (const part of parts) await pagefind.mergeIndex(base + part, { baseUrl });
      if (dates) datesOf.set(pagefind, dates);
      return pagefind;
    })());
  }
  return loaded.get(base);
}

function once(load) {
  let value = null;
  return () => value || (value = load());
}

/** Results in a fixed order as {total, take(n)}: take resolves the data of the next n. */
function paged(order, load = (items) => Promise.all(items.map((r) => r.data()))) {
  let next = 0;
  return { total: order.length, take: async (n) => load(order.slice(next, (next += n))) };
}

/** Newest first by a {result id: yyyymmdd} map, ties by id (the same order however parts are held). */
const newestFirst = (dates) => (a, b) => (dates[b.id] || 0) - (dates[a.id] || 0) || (a.id < b.id ? -1 : 1);

/**
 * The parts of a bundle shared among worker threads (congkhai-search-worker.js), as many as the
 * device has cores (at most MAX_WORKERS): each searches its parts, the page merges their ranked ids
 * (by score, as Pagefind merges parts, or by date) and asks only for the data of the results drawn.
 */
async function pool(root, parts, baseUrl, dates) {
  const count = Math.max(1, Math.min(parts.length, navigator.hardwareConcurrency || 2, MAX_WORKERS));
  const script = new URL("congkhai-search-worker.js", import.meta.url);
  const workers = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(script, { type: "module" });
    const waiting = new Map();
    let calls = 0;
    worker.addEventListener("message", ({ data }) => {
      const { resolve, reject } = waiting.get(data.call);
      waiting.delete(data.call);
      if (data.error) reject(new Error(data.error));
      else resolve(data.reply);
    });
    const call = (type, payload) => new Promise((resolve, reject) => {
      const id = ++calls;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ call: id, type, ...payload });
    });
    workers.push({ call, ready: call("start", { root, parts: parts.filter((_, n) => n % count === i), baseUrl }) });
  }
  await Promise.all(workers.map((w) => w.ready));
  let searches = 0;
  return {
    workers: count,
    async search(query, filters, byDate) {
      const search = ++searches;
      const found = await Promise.all(workers.map((w) => w.call("find", { search, query, filters })));
      const order = [];
      found.forEach(({ ids, scores, ranks, lates }, worker) => {
        ids.forEach((id, position) => order.push({ id, score: scores[position], rank: ranks[position],
                                                   late: lates[position], worker, position }));
      });
      if (byDate && dates) order.sort(newestFirst(await dates()));
      else order.sort((a, b) => a.late - b.late || b.score - a.score || a.rank - b.rank || a.worker - b.worker
                              || a.position - b.position);
      return paged(order, async (slice) => {
        const answers = await Promise.all(workers.map((w, worker) => {
          const ids = slice.filter((x) => x.worker === worker).map((x) => x.id);
          return ids.length ? w.call("data", { search, ids }) : [];
        }));
        const taken = answers.map(() => 0);
        return slice.map((x) => answers[x.worker][taken[x.worker]++]);
      });
    },
  };
}

// Documents no longer in force (withdrawn, superseded, out of force: site/search.py) carry one of these.
const NOT_IN_FORCE = { any: ["thu-hoi", "het-hieu-luc"] };

/**
 * Every variant's results, each document once at its best score over the variants (so "dao tao"
 * ranks a text written "dao tao" by its exact match and "Đào tạo" by its đ-variant), ties going to
 * the query as typed; documents no longer in force after all those in force (found by a second search
 * filtered on them: Pagefind scores only the few results that pass the filter, so it costs little):
 * [{r, rank, late}] best first, r a Pagefind result, rank its variant's number, late true when not in force.
 */
export async function ranked(pagefind, query, filters) {
  const best = new Map();
  const late = new Set();
  let rank = 0;
  for (const variant of variants(query)) {
    const found = await pagefind.search(variant, { filters });
    for (const r of (found && found.results) || []) {
      const held = best.get(r.id);
      if (!held || r.score > held.r.score) best.set(r.id, { r, rank: held ? held.rank : rank });
    }
    if (found && found.results.length) {
      const old = await pagefind.search(variant, { filters: { ...filters, "trang-thai": NOT_IN_FORCE } });
      for (const r of (old && old.results) || []) late.add(r.id);
    }
    rank++;
  }
  return [...best.values()].map((x) => ({ ...x, late: late.has(x.r.id) }))
    .sort((a, b) => a.late - b.late || b.r.score - a.r.score || a.rank - b.rank);
}

/**
 * Search every variant and merge them into one ordered result set, without duplicates.
 *
 * By relevance, as ranked() orders them; a result's excerpt comes from the variant that scored it.
 * By date, every variant's list is already sorted newest first by Pagefind and the lists are merged
 * lazily, loading only the heads compared; over a bundle in parts, each result's date orders them.
 * Returns {total, take(n)}: take resolves the data (url, meta, excerpt) of the next n results.
 */
export async function search(pagefind, query, filters, byDate) {
  if (pagefind.workers) return pagefind.search(query, filters, byDate);
  if (!byDate) return paged((await ranked(pagefind, query, filters)).map((x) => x.r));
  const options = { filters };
  // Pagefind sorts within one part of a bundle; over several, each result's date orders them.
  const dates = datesOf.has(pagefind) ? await datesOf.get(pagefind)() : null;
  if (!dates) options.sort = { date: "desc" };
  const lists = [];
  for (const variant of variants(query)) {
    const found = await pagefind.search(variant, options);
    if (found && found.results.length) lists.push(found.results);
  }
  const ids = new Set(lists.flatMap((list) => list.map((r) => r.id)));
  const seen = new Set();
  if (dates) {
    const unique = new Map();
    for (const list of lists) for (const r of list) if (!unique.has(r.id)) unique.set(r.id, r);
    return paged([...unique.values()].sort(newestFirst(dates)));
  }
  const cache = new Map();
  const dataOf = (r) => { if (!cache.has(r)) cache.set(r, r.data()); return cache.get(r); };
  const heads = lists.map(() => 0);
  async function pop() {
    let pick = -1;
    let pickData = null;
    for (let i = 0; i < lists.length; i++) {
      while (heads[i] < lists[i].length && seen.has(lists[i][heads[i]].id)) heads[i]++;
      if (heads[i] >= lists[i].length) continue;
      const data = await dataOf(lists[i][heads[i]]);
      if (pick < 0 || (data.meta.iso || "") > (pickData.meta.iso || "")) { pick = i; pickData = data; }
    }
    if (pick < 0) return null;
    seen.add(lists[pick][heads[pick]].id);
    heads[pick]++;
    return pickData;
  }
  return {
    total: ids.size,
    take: async (n) => {
      const out = [];
      for (let i = 0; i < n; i++) { const d = await pop(); if (!d) break; out.push(d); }
      return out;
    },
  };
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

/** Lowercase, without tone marks, đ read as d. */
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

/**
 * Pagefind marks every word a query word begins ("ke" marks "kết", "kèm"): keep the marks on whole
 * syllables of the query only (with or without tone marks), so "học phí" marks "học" and "phí".
 */
export function wholeSyllables(excerpt, query) {
  const words = new Set(fold(query).split(/\s+/).filter(Boolean));
  const box = document.createElement("template");
  box.innerHTML = excerpt; // Pagefind escapes the text and adds <mark> around matches
  for (const mark of box.content.querySelectorAll("mark")) {
    const syllable = fold(mark.textContent).replace(/[^\p{L}\p{N}]/gu, "");
    if (!words.has(syllable)) mark.replaceWith(...mark.childNodes);
  }
  return box.content;
}

function resultItem(data, query) {
  const meta = data.meta || {};
  const link = el("a", { class: "ck-item__title", href: data.url }, meta.title || data.url);
  const parts = [meta.unit, meta.kind, meta.date, meta.number ? "Số " + meta.number : null].filter(Boolean);
  const line = el("span", { class: "ck-item__meta" }, parts.join(" · "));
  // a document no longer in force says so (and ranks after those in force: ranked())
  if (meta.status) line.append(" · ", el("span", { class: "ck-badge ck-badge--warn" }, meta.status));
  const excerpt = el("span", { class: "ck-result__excerpt" }, wholeSyllables(data.excerpt || "", query));
  return el("li", { class: "ck-item ck-result" }, link, line, excerpt);
}

async function render(list, results, count, query) {
  const items = await results.take(count);
  for (const data of items) list.append(resultItem(data, query));
  return items.length;
}

function filtersFor(scope, withSubordinates, kind, year, withdrawn) {
  const filters = {};
  if (scope) filters[withSubordinates ? "thuoc" : "don-vi"] = scope;
  if (kind) filters.loai = kind;
  if (year) filters.nam = year;
  if (!withdrawn) filters.not = { "trang-thai": "thu-hoi" };
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
      if (results.total === 0) {
        panel.append(el("p", {}, "Không tìm thấy văn bản nào. Thử bỏ bớt từ, hoặc tìm trên toàn cổng."));
      } else {
        panel.append(el("p", { class: "ck-muted" }, `${results.total} văn bản`), list);
        await render(list, results, PANEL_SIZE, query);
        if (mine !== run) return;
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

  let runs = 0;
  async function run() {
    const mine = ++runs;
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
    out.removeAttribute("data-ck-state");
    if (!query) return;
    out.append(el("p", { class: "ck-muted" }, "Đang tìm…"));
    try {
      const pagefind = await bundle(root, path);
      const results = await search(pagefind, query, filters, byDate);
      if (mine !== runs) return;
      out.replaceChildren(el("p", { class: "ck-results__count" },
        results.total ? `Tìm thấy ${results.total} văn bản.` : "Không tìm thấy văn bản nào phù hợp."));
      const list = el("ul", { class: "ck-list" });
      out.append(list);
      let shown = 0;
      const more = el("button", { type: "button", class: "md-button" }, "Xem thêm");
      more.addEventListener("click", async () => {
        more.disabled = true;
        shown += await render(list, results, PAGE_SIZE, query);
        more.disabled = false;
        more.hidden = shown >= results.total;
      });
      shown = await render(list, results, PAGE_SIZE, query);
      if (mine !== runs) return;
      more.hidden = shown >= results.total;
      out.append(more);
      out.dataset.ckState = "done";
    } catch (error) {
      out.replaceChildren(el("p", {}, "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau."));
      out.dataset.ckState = "failed";
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

if (typeof document !== "undefined") { // not in the search workers, which import ranked()
  for (const box of document.querySelectorAll("[data-ck-search]")) headerBox(box);
  for (const form of document.querySelectorAll("[data-ck-search-page]")) searchPage(form);
}
