"""Search in the browser: Pagefind through the real search box, Vietnamese with or without tone marks,
đ included, exact marks first, filters, date order, withdrawn documents, and life without JavaScript."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import Site, serve


def search_page(page, base: str, query: str, params: str = "") -> list[dict]:
    """Open the search page for `query` and return every result (title, meta line), loading all pages."""
    page.goto(f"{base}tim-kiem/?q={query}{params}")
    page.wait_for_selector(".ck-results[data-ck-state=done]", timeout=15000)
    more = page.locator(".ck-results button")
    for _ in range(100):  # bounded: a button that never hides is a failure, not a hang
        if not (more.count() and more.is_visible()):
            break
        shown = page.locator(".ck-results .ck-result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.ck-results .ck-result').length > {shown}",
                               timeout=5000)  # a function, not a string to evaluate: the pages forbid eval
    else:
        raise AssertionError("the 'Xem thêm' button never hides")
    items = page.locator(".ck-results .ck-result")
    return [
        {"title": items.nth(i).locator(".ck-item__title").inner_text(),
         "meta": items.nth(i).locator(".ck-item__meta").inner_text(),
         "excerpt": items.nth(i).locator(".ck-result__excerpt").inner_html()}
        for i in range(items.count())
    ]


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    return problems


@pytest.fixture(scope="module")
def sample(sample_site: Path):
    with serve(sample_site) as base:
        yield base


def test_every_query_of_the_issue_finds_its_documents(browser, sample, sample_site: Path) -> None:
    page = browser.new_page()
    problems = watch(page)
    expected = {
        "ke hoach": "Kế hoạch cải cách hành chính năm 2026 của Trường Trung học cơ sở Hoa Sen",
        "kế hoạch": "Kế hoạch cải cách hành chính năm 2026 của Trường Trung học cơ sở Hoa Sen",
        "KE HOACH": "Kế hoạch cải cách hành chính năm 2026 của Trường Trung học cơ sở Hoa Sen",
        "dao tao": "Thông báo lịch tiếp công dân năm 2026 của Sở Giáo dục và Đào tạo",
        "đào tạo": "Thông báo lịch tiếp công dân năm 2026 của Sở Giáo dục và Đào tạo",
        "Dao Tao": "Thông báo lịch tiếp công dân năm 2026 của Sở Giáo dục và Đào tạo",
        "thu tuc hanh chinh": "Chuyển trường đối với học sinh trung học cơ sở",
    }
    for query, title in expected.items():
        results = search_page(page, sample, query)
        assert title in [r["title"] for r in results], query
        hit = next(r for r in results if r["title"] == title)
        assert "<mark>" in hit["excerpt"]
    # excerpts keep the original spelling: a folded query still shows "Đào tạo" with its marks
    folded = search_page(page, sample, "dao tao")
    assert any("<mark>Đào</mark>" in r["excerpt"] or "<mark>đào</mark>" in r["excerpt"] for r in folded)
    assert problems == []
    page.close()


def test_the_header_box_searches_the_unit_by_default_and_everything_in_one_click(browser, sample) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(page)
    page.goto(sample + "thcs-hoa-sen/")
    page.fill("#ck-search-input", "ke hoach")
    page.wait_for_selector(".ck-search__panel .ck-result", timeout=15000)
    metas = page.locator(".ck-search__panel .ck-item__meta").all_inner_texts()
    assert metas and all("Hoa Sen" in m or "thị trấn Tân Hà" in m for m in metas)
    page.get_by_role("button", name="Toàn cổng").click()
    page.wait_for_function("() => document.querySelectorAll('.ck-search__panel .ck-result').length > 0")
    page.wait_for_timeout(300)
    everywhere = page.locator(".ck-search__panel .ck-item__meta").all_inner_texts()
    assert any("Hoa Sen" not in m and "thị trấn Tân Hà" not in m for m in everywhere)
    assert problems == []
    page.close()


def test_filters_date_order_and_withdrawn_documents(browser, sample, sample_site: Path) -> None:
    page = browser.new_page()
    problems = watch(page)
    by_kind = search_page(page, sample, "công khai", "&loai=tai-chinh")
    assert by_kind and all("Công khai tài chính" in r["meta"] for r in by_kind)
    by_unit = search_page(page, sample, "kế hoạch", "&don-vi=thcs-hoa-sen&tructhuoc=1")
    assert by_unit and all("Hoa Sen" in r["meta"] or "thị trấn Tân Hà" in r["meta"] for r in by_unit)
    by_year = search_page(page, sample, "kế hoạch", "&nam=2025")
    assert by_year and all("/2025" in r["meta"] for r in by_year)
    newest = search_page(page, sample, "kế hoạch", "&sx=moi")
    dates = [date(*reversed([int(x) for x in next(p for p in r["meta"].split(" · ") if p.count("/") == 2).split("/")]))
             for r in newest]
    assert len(dates) > 5 and dates == sorted(dates, reverse=True)
    register = json.loads((sample_site / "data/documents.json").read_text(encoding="utf-8"))
    withdrawn = next(d["title"] for d in register["documents"] if d["status"] == "withdrawn")
    assert withdrawn not in [r["title"] for r in search_page(page, sample, withdrawn)]
    assert withdrawn in [r["title"] for r in search_page(page, sample, withdrawn, "&thuhoi=1")]
    assert problems == []
    page.close()


def test_the_small_sample_portal_searches_full_text_everywhere(sample_site: Path) -> None:
    page = (sample_site / "tim-kiem/index.html").read_text(encoding="utf-8")
    assert "ck-searchpage__lean" not in page


def test_without_javascript_the_search_leads_to_the_listings(browser, sample) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample + "tim-kiem/?q=ke+hoach")
    assert "Trình duyệt đang tắt JavaScript" in page.content()
    assert page.locator('a[href="../#cac-don-vi"]').count() == 1
    page.goto(sample + "thcs-hoa-sen/")
    icon = page.locator("a.ck-search__icon")
    assert icon.get_attribute("href") == "../tim-kiem/?don-vi=thcs-hoa-sen&tructhuoc=1"
    context.close()


def test_exact_tone_marks_rank_above_folded_matches(browser, site: Site) -> None:
    site.standard_units()
    site.doc("thcs-a", "thong-bao", "khong-dau", "title: Tệp đính kèm số 2\ndate: 2025-03-01\n",
             body="Ten tep: ke hoach dao tao (viet khong dau).\n")
    site.doc("thcs-a", "ke-hoach", "co-dau", "title: Văn bản số 3\ndate: 2025-03-02\n",
             body="Kế hoạch đào tạo bồi dưỡng giáo viên.\n")
    assert site.run("build") == 0
    page = browser.new_page()
    # the units' own pages (found by name: "Sở Giáo dục và Đào tạo…") are left aside here
    documents = lambda results: [r["title"] for r in results if "Trang đơn vị" not in r["meta"]]  # noqa: E731
    with serve(site.out) as base:
        assert documents(search_page(page, base, "kế hoạch")) == ["Văn bản số 3", "Tệp đính kèm số 2"]
        assert documents(search_page(page, base, "ke hoach")) == ["Tệp đính kèm số 2", "Văn bản số 3"]
        assert documents(search_page(page, base, "dao tao")) == ["Tệp đính kèm số 2", "Văn bản số 3"]
        assert documents(search_page(page, base, "đào tạo")) == ["Văn bản số 3"]
    page.close()


def test_query_variants_read_initial_d_as_đ(browser, sample) -> None:
    page = browser.new_page()
    page.goto(sample)
    found = page.evaluate("""async () => {
        const m = await import('./assets/javascripts/congkhai-search.js');
        return [m.variants('dao tao'), m.variants('Dao Duc'), m.variants('kế hoạch')];
    }""")
    assert found == [["dao tao", "đao tao"], ["Dao Duc", "Dao đuc", "đao Duc", "đao đuc"], ["kế hoạch"]]
    page.close()


def test_each_unit_whose_scope_is_not_everything_gets_its_own_bundle() -> None:
    from congkhai.build import pipeline
    from congkhai.kinds import REGISTRY
    from congkhai.model.limits import DEFAULT
    from congkhai.model.problems import Problems
    from congkhai.site import search

    mini = Path(__file__).parent / "fixtures" / "mini"
    portal = pipeline.load_portal(mini / "content", mini / "units", date(2026, 11, 22), Problems(), DEFAULT, REGISTRY)
    plan = search.plan_search(portal)
    urls = {code: sorted(plan.records[i].url for i in members) for code, members in plan.bundles.items()}
    # a unit's page is found from its own search and from the units above it today, administratively or
    # professionally (the chain its documents follow): so-x oversees every unit and document, so its scoped
    # search is the portal bundle itself
    assert urls == {
        "phong-b": ["phong-b/", "phong-b/thong-bao/yeu-cau-ke-hoach/", "truong-a/ke-hoach/cchc-2025/"],
        "truong-a": ["truong-a/", "truong-a/ke-hoach/cchc-2025/", "truong-a/tai-chinh/du-toan-2026/"],
        "xa-c": ["truong-a/", "truong-a/ke-hoach/cchc-2025/", "truong-a/tai-chinh/du-toan-2026/", "xa-c/"],
    }
    assert plan.bundle_of("so-x") == ""
    assert sorted(search.plan_search(portal, scope={"truong-a"}).bundles) == ["truong-a"]


def sample_plan():
    from conftest import REPO, SAMPLE_ON

    from congkhai.build import pipeline
    from congkhai.kinds import REGISTRY
    from congkhai.model.limits import DEFAULT
    from congkhai.model.problems import Problems
    from congkhai.site import search

    portal = pipeline.load_portal(REPO / "content", REPO / "units", date.fromisoformat(SAMPLE_ON), Problems(), DEFAULT,
                                  REGISTRY)
    return search.plan_search(portal)


def test_lean_records_keep_what_identifies_a_document_and_drop_its_body() -> None:
    plan = sample_plan()
    procedure = next(r for r in plan.records if r.url.startswith("thcs-hoa-sen/thu-tuc/"))
    lean, full = procedure.html(full=False), procedure.html(full=True)
    assert "Thủ tục hành chính" in lean and ("Mã 1." in lean or "Mã 2." in lean)
    assert procedure.title in lean
    body = max((b for b in procedure.blocks if b not in procedure.lean), key=len)
    assert body in full and body not in lean and len(lean) < len(full)
    # a summary that only repeats the title is not indexed twice
    for rec in plan.records:
        assert sum(line == rec.title for line in rec.lean) == 0


def test_bundles_over_the_full_text_budget_index_lean_records(monkeypatch) -> None:
    from congkhai.site import search

    plan = sample_plan()
    school = sum(plan.records[i].size for i in plan.bundles["thcs-hoa-sen"])
    everything = sum(r.size for r in plan.records)
    assert plan.full_text("") and plan.full_text("thcs-hoa-sen")  # the sample portal is small
    monkeypatch.setattr(search, "FULL_TEXT_CHARS", school)
    monkeypatch.setattr(search, "PORTAL_FULL_TEXT_CHARS", everything - 1)
    assert plan.full_text("thcs-hoa-sen") and not plan.full_text("")
    monkeypatch.setattr(search, "FULL_TEXT_CHARS", school - 1)
    assert not plan.full_text("thcs-hoa-sen")
    # a portal too large for its unit budget still indexes full text up to its own, larger budget
    monkeypatch.setattr(search, "PORTAL_FULL_TEXT_CHARS", everything)
    assert everything > search.FULL_TEXT_CHARS and plan.full_text("")


def test_the_portal_bundle_is_cut_in_two_above_the_split_size_and_parts_are_stable(monkeypatch) -> None:
    """Pagefind's memory grows with the part it indexes: above SPLIT_ABOVE records the portal bundle is
    two parts at least (then one per SHARD_SIZE), and adding a record moves no other between parts."""
    from congkhai.site import search

    plan = sample_plan()
    n = len(plan.records)
    assert n > 4 and len(search.portal_shards(plan)) == 1  # the sample portal is one part
    monkeypatch.setattr(search, "SPLIT_ABOVE", n - 1)
    parts = search.portal_shards(plan)
    assert len(parts) == 2 and all(parts) and sorted(i for p in parts for i in p) == list(range(n))
    monkeypatch.setattr(search, "SPLIT_ABOVE", n)
    assert len(search.portal_shards(plan)) == 1
    monkeypatch.setattr(search, "SPLIT_ABOVE", 1)
    monkeypatch.setattr(search, "SHARD_SIZE", -(-n // 3))
    three = search.portal_shards(plan)
    assert len(three) == 3
    fewer = search.SearchPlan(plan.records[:-1], plan.bundles)
    assert [p for p in search.portal_shards(fewer)] == [tuple(i for i in p if i != n - 1) for p in three]


def test_a_lean_portal_index_still_finds_body_words_in_a_school_and_says_so(browser, tmp_path, monkeypatch) -> None:
    """With the portal over its full-text budget and the school under it, a word found only in a
    school document's body is found by the school's search box, not by the portal's search page,
    which says what it searches."""
    import unicodedata
    from contextlib import chdir

    from conftest import REPO, SAMPLE_ON

    from congkhai import cli
    from congkhai.site import search

    plan = sample_plan()
    monkeypatch.setattr(search, "FULL_TEXT_CHARS", sum(plan.records[i].size for i in plan.bundles["thcs-hoa-sen"]))
    monkeypatch.setattr(search, "PORTAL_FULL_TEXT_CHARS", sum(r.size for r in plan.records) - 1)
    lean_words = {search.fold(w) for rec in plan.records for w in " ".join((rec.title, *rec.lean)).split()}
    words = sorted({w.strip(".,;:()–") for i in plan.bundles["thcs-hoa-sen"] for b in plan.records[i].blocks
                    for w in b.split() if plan.records[i].url.startswith("thcs-hoa-sen/")})
    # Pagefind matches a query word as a prefix: no lean word may start with it
    word = next(w for w in words if len(w) >= 4 and w.isalpha()
                and not any(lean.startswith(search.fold(w)) for lean in lean_words))
    assert unicodedata.is_normalized("NFC", word)
    out = tmp_path / "site"
    with chdir(REPO):
        assert cli.main(["build", "--out", str(out), "--on", SAMPLE_ON, "--no-cache"]) == 0
    with serve(out) as base:
        page = browser.new_page()
        problems = watch(page)
        page.goto(base + "thcs-hoa-sen/")
        page.fill("#ck-search-input", word)
        page.wait_for_selector(".ck-search__panel .ck-result", timeout=15000)
        assert page.locator(".ck-search__panel .ck-result").count() >= 1
        assert search_page(page, base, word) == []
        assert "xét tiêu đề, số hiệu" in page.locator(".ck-searchpage__lean").inner_text()
        assert problems == []
        page.close()


def test_a_portal_bundle_in_parts_finds_the_same_documents_in_exact_date_order(browser, sample, sample_site: Path,
                                                                                tmp_path, monkeypatch) -> None:
    """Cut into parts (as a 30,000-document portal is), the portal search merges them: the same
    results as the single bundle, newest first across every part, filters still applied."""
    from contextlib import chdir

    from conftest import REPO, SAMPLE_ON

    from congkhai import cli
    from congkhai.build import search_index
    from congkhai.site import search

    monkeypatch.setattr(search, "SHARD_SIZE", 40)
    out = tmp_path / "site"
    with chdir(REPO):
        assert cli.main(["build", "--out", str(out), "--on", SAMPLE_ON, "--no-cache"]) == 0
    assert json.loads((sample_site / "pagefind" / "congkhai.json").read_text(encoding="utf-8")) == \
        {"phan": [], "ngay": None}  # the sample portal is one part
    guide = json.loads((out / "pagefind" / "congkhai.json").read_text(encoding="utf-8"))
    assert len(guide["phan"]) >= 4 and all((out / "pagefind" / p / "pagefind-entry.json").is_file() for p in guide["phan"])
    with serve(out) as base:
        page = browser.new_page()
        problems = watch(page)
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.on("worker", lambda worker: worker.on(
            "console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None))
        for query, params in [("kế hoạch", ""), ("dao tao", ""), ("công khai", "&loai=tai-chinh")]:
            parts = search_page(page, base, query, params)
            whole = search_page(page, sample, query, params)
            assert sorted(r["title"] for r in parts) == sorted(r["title"] for r in whole), query
        newest = search_page(page, base, "kế hoạch", "&sx=moi")
        dates = [date(*reversed([int(x) for x in next(p for p in r["meta"].split(" · ") if p.count("/") == 2).split("/")]))
                 for r in newest]
        assert len(dates) > 5 and dates == sorted(dates, reverse=True)
        # searched by worker threads of ours, each holding some parts, with one copy of Pagefind's
        # library and WebAssembly (from the bundle's root), never Pagefind's own worker
        mine = [u for u in fetched if u.startswith(base)]
        assert any(u.endswith("/assets/javascripts/congkhai-search-worker.js") for u in mine)
        assert not any(u.endswith("pagefind-worker.js") for u in mine)
        assert any(u.endswith("/pagefind/wasm.unknown.pagefind") for u in mine)
        assert not any("/phan-" in u and ("wasm." in u or u.endswith("pagefind.js")) for u in mine)
        assert any("/phan-" in u and u.endswith(".pf_index") for u in mine)
        assert problems == []
        page.close()
        # a browser without Web Workers merges the parts in the page (Pagefind's mergeIndex): the same
        # documents, and newest first by the dates file
        page = browser.new_page()
        page.add_init_script("delete window.Worker")
        problems = watch(page)
        fetched.clear()
        page.on("request", lambda request: fetched.append(request.url))
        assert sorted(r["title"] for r in search_page(page, base, "kế hoạch")) == \
            sorted(r["title"] for r in search_page(page, sample, "kế hoạch"))
        assert [r["title"] for r in search_page(page, base, "kế hoạch", "&sx=moi")] == [r["title"] for r in newest]
        assert not any(u.endswith("congkhai-search-worker.js") for u in fetched)
        assert problems == []
        page.close()
    # Ordered by the dates file, the parts carry no Pagefind sort orders (a fifth of their metadata,
    # loaded by the first query); the single bundle and the unit bundles keep theirs.
    def sorts(bundle: Path) -> list:
        return search_index._read_chunk(next(bundle.glob("*.pf_meta")))[4]

    assert [sorts(out / "pagefind" / p) for p in ["", *guide["phan"]]] == [[]] * (1 + len(guide["phan"]))
    assert [name for name, _ in sorts(sample_site / "pagefind")] == ["date"]
    assert [name for name, _ in sorts(out / "thcs-hoa-sen" / "pagefind")] == ["date"]


def test_documents_no_longer_in_force_say_so_and_come_after_those_in_force(browser, sample, sample_site: Path) -> None:
    page = browser.new_page()
    problems = watch(page)
    results = search_page(page, sample, "tuyển sinh lớp 10")
    titles = [r["title"] for r in results]
    old = "Thông báo tuyển sinh vào lớp 10 năm học 2025 – 2026"
    assert old in titles and "Thông báo điều chỉnh lịch thi và chỉ tiêu tuyển sinh lớp 10 năm học 2025 – 2026" in titles
    badged = [i for i, r in enumerate(results) if "Đã được thay thế" in r["meta"] or "Đã hết" in r["meta"]]
    assert titles.index(old) in badged
    # every document in force first, then those replaced or out of force
    assert badged == list(range(len(results) - len(badged), len(results))), [r["meta"] for r in results]
    assert problems == []
    page.close()


def test_a_unit_is_found_by_its_name_with_or_without_tone_marks(browser, sample) -> None:
    page = browser.new_page()
    for query in ("kim dong", "Kim Đồng", "tieu hoc kim dong"):
        results = search_page(page, sample, query)
        units = [r for r in results if "Trang đơn vị" in r["meta"]]
        assert [r["title"] for r in units][:1] == ["Trường Tiểu học Kim Đồng"], query
    page.close()


def test_highlighting_marks_whole_syllables_only(browser, sample) -> None:
    page = browser.new_page()
    for result in search_page(page, sample, "ke"):
        marked = re.findall(r"<mark>(.*?)</mark>", result["excerpt"])
        assert all(fold_word(m) == "ke" for m in marked), marked  # "kế", "Kế", never "kết" or "kèm"
    page.close()


def fold_word(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum()).lower()


def test_the_pagefind_service_returns_freed_memory_at_once() -> None:
    """Issue 23: Pagefind's allocator (jemalloc) keeps freed memory ten seconds by default, so the index
    of one bundle would still be held while the next is indexed; a build apart (where Pagefind's memory
    is the peak) starts the service with the setting that returns it at once, and it is still one that
    answers; other builds start it without, since the setting costs Pagefind time."""
    from congkhai.build import search_index

    setting = b"_RJEM_MALLOC_CONF=narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"
    for lean in (True, False):  # only a build apart, where Pagefind's memory is the peak (it costs time)
        service = search_index._Service(search_index.pagefind_executable(), lean_memory=lean)
        try:
            (made,) = service.ask([{"type": "NewIndex", "config": {"force_language": "vi"}}])
            assert isinstance(made.get("index_id"), int)
            # read once it answered: before its exec, the process still shows this one's environment
            environment = Path(f"/proc/{service.process.pid}/environ").read_bytes().split(b"\0")
            assert (setting in environment) == lean
        finally:
            service.close()


def test_a_second_pagefind_service_indexes_small_bundles_only_and_changes_no_byte(tmp_path, monkeypatch) -> None:
    """Issue 23: Pagefind indexes on one core, so with two cores a second service indexes the units'
    small bundles beside the first, which takes the large ones (largest first) and then small ones
    too; only the first ever holds a large index. The bundles are the same bytes either way, and a
    failure in either service fails the stage."""
    from conftest import tree_digest

    from congkhai.build import search_index
    from congkhai.build.cache import Cache
    from congkhai.site import search

    plan = sample_plan()
    monkeypatch.setattr(search, "SPLIT_ABOVE", 1)  # the portal in three parts: large runs beside the units'
    monkeypatch.setattr(search, "SHARD_SIZE", -(-len(plan.records) // 3))
    monkeypatch.setattr(search_index, "SMALL_RUN", 40)
    large = sorted([len(p) for p in search.portal_shards(plan)] + [len(m) for m in plan.bundles.values() if len(m) > 40],
                   reverse=True)
    assert len(large) >= 4 and sum(len(m) <= 40 for m in plan.bundles.values()) >= 4

    runs: dict[int, list[int]] = {}
    real_service, real_runs = search_index._Service, search_index._index_runs

    def counted(service, todo):
        for pages, _ in todo:
            runs.setdefault(id(service), []).append(len(pages))
        return real_runs(service, todo)

    monkeypatch.setattr(search_index, "_index_runs", counted)
    trees = []
    for jobs in (1, 2):
        runs.clear()
        cache = Cache(tmp_path / f"cache-{jobs}")
        try:
            work = search_index.search_work(plan, cache)
            entries = search_index.index_work(work, cache, jobs=jobs)
        finally:
            cache.close()
        site = tmp_path / f"site-{jobs}"
        for entry in entries:
            entry.link_into(site)
        trees.append(tree_digest(site))
        sizes = sorted(runs.values(), key=lambda sizes: -max(sizes))
        assert len(sizes) == jobs and sum(map(len, sizes)) == len(plan.bundles) + 3
        if jobs == 2:  # the first: the large bundles, largest first; the second: small ones only, some
            first, second = sizes
            assert first[:len(large)] == large and second and max(second) <= 40
    assert trees[0] == trees[1] and any(name.endswith(".pf_fragment") for name in trees[0])

    def broken(executable, lean_memory=False):  # the second service dies at its first request
        made = real_service(executable, lean_memory)
        if len(started) == 1:
            made.process.kill()
        started.append(made)
        return made

    started: list = []
    monkeypatch.setattr(search_index, "_Service", broken)
    cache = Cache(tmp_path / "cache-broken")
    try:
        with pytest.raises(search_index.SearchError):
            search_index.index_work(search_index.search_work(plan, cache), cache, jobs=2)
    finally:
        cache.close()
    assert all(made.process.poll() is not None for made in started)  # no service left running
