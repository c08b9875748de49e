"""Deploying: the nginx configuration in deploy/ served by the real nginx (Debian's package) on
loopback gives every kind of file of the built sample portal its right type and cache headers; the
README's daily-rebuild commands work as written."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import chdir
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_ON, free_port, require

from congkhai import cli

sys.path.insert(0, str(REPO / "scripts"))
from search_budget import nginx_conf  # noqa: E402  (the same nginx setup the search budget is measured with)

CONFIG = REPO / "deploy" / "nginx.conf"


def public_copy(site: Path) -> Path:
    """Return a copy of `site` (modes kept) in a folder that every user may enter, as a web server's root
    is: nginx's workers run as 'nobody' and read only what the build made readable to others."""
    import shutil
    import tempfile

    holder = Path(tempfile.mkdtemp(prefix="congkhai-www-"))
    holder.chmod(0o755)
    shutil.copytree(site, holder / "site", symlinks=True)
    return holder / "site"


@pytest.fixture(scope="module")
def nginx(sample_site: Path, tmp_path_factory):
    """The real nginx serving the sample site with deploy/nginx.conf; yields its base URL."""
    import shutil

    binary = require("nginx")
    work = tmp_path_factory.mktemp("nginx")
    root = public_copy(sample_site)
    conf = nginx_conf(root, port := free_port(), work)
    test = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(work)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(10)
    shutil.rmtree(root.parent, ignore_errors=True)


def head(url: str, gzip: bool = False) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def one(root: Path, pattern: str) -> str:
    """Return the site address of the first file under `root` matching `pattern` (a glob)."""
    found = sorted(root.glob(pattern))
    assert found, pattern
    return found[0].relative_to(root).as_posix()


def test_nginx_serves_every_kind_of_file_with_its_type_and_cache_headers(nginx: str, sample_site: Path) -> None:
    expected = {
        "": ("text/html; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/": ("text/html; charset=utf-8", "no-cache"),
        "rss.xml": ("application/xml; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/rss.xml": ("application/xml; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/qua-han.xml": ("application/xml; charset=utf-8", "no-cache"),
        "assets/rss.xsl": ("text/xsl; charset=utf-8", "no-cache"),
        "feeds.opml": ("text/x-opml; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/lich-cong-khai.ics": ("text/calendar; charset=utf-8", "no-cache"),
        "data/documents.json": ("application/json; charset=utf-8", "no-cache"),
        "data/documents.csv": ("text/csv; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/moi-nhat/": ("text/html; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/moi-nhat.json": ("application/json; charset=utf-8", "no-cache"),
        "pagefind/pagefind.js": ("application/javascript; charset=utf-8", "no-cache"),
        "pagefind/pagefind-entry.json": ("application/json; charset=utf-8", "no-cache"),
        one(sample_site, "pagefind/pagefind.*.pf_meta"): ("application/octet-stream", "immutable"),
        one(sample_site, "pagefind/fragment/*.pf_fragment"): ("application/octet-stream", "immutable"),
        one(sample_site, "pagefind/index/*.pf_index"): ("application/octet-stream", "immutable"),
        one(sample_site, "pagefind/wasm.*.pagefind"): ("application/wasm", "immutable"),
        one(sample_site, "assets/javascripts/bundle.*.min.js"): ("application/javascript; charset=utf-8", "immutable"),
        one(sample_site, "assets/stylesheets/main.*.min.css"): ("text/css; charset=utf-8", "immutable"),
    }
    for path, (kind, cache) in expected.items():
        status, headers = head(nginx + path)
        assert status == 200, path
        assert headers["content-type"] == kind, path
        assert cache in headers.get("cache-control", ""), path
    assert head(nginx + "thcs-hoa-sen/moi-nhat/")[1]["access-control-allow-origin"] == "*"
    # text is compressed for browsers that ask; Pagefind's chunks (gzip data already) are not
    for path in ("", "pagefind/pagefind.js", "pagefind/pagefind-worker.js", "rss.xml", "data/documents.json"):
        assert head(nginx + path, gzip=True)[1].get("content-encoding") == "gzip", path
    for path in (one(sample_site, "pagefind/index/*.pf_index"), one(sample_site, "pagefind/wasm.*.pagefind")):
        assert "content-encoding" not in head(nginx + path, gzip=True)[1], path
    status, headers = head(nginx + "khong-co-trang-nay/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    # a province's portal bundle has parts in pagefind/phan-N/ (the sample has one): the chunks'
    # location takes theirs too, and no other regular-expression location does
    chunks = [pattern for pattern in re.findall(r"location ~ (\S+) \{", CONFIG.read_text(encoding="utf-8"))
              if re.search(pattern, "/pagefind/phan-2/index/vi_0a1b2c3.pf_index")]
    assert chunks == ["/pagefind/(phan-[0-9]+/)?(index|fragment|filter)/"]


def test_the_readme_rebuild_and_alert_commands_work(tmp_path: Path, capsys) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "status --fail-on-overdue" in readme and "deploy/nginx.conf" in readme
    cron = (REPO / "deploy" / "cron.example").read_text(encoding="utf-8")
    line = next(line for line in cron.splitlines() if line.strip() and not line.startswith("#") and "=" not in line.split()[0])
    assert re.match(r"^\S+ \S+ \* \* \* ", line)  # once a day
    assert "build.py build" in line and "status --fail-on-overdue" in line
    with chdir(REPO):
        assert cli.main(["build", "--out", str(tmp_path / "site"), "--on", SAMPLE_ON, "--no-search",
                         "--cache-dir", str(tmp_path / "cache")]) == 0
        assert cli.main(["status", "--on", SAMPLE_ON, "--fail-on-overdue"]) == 1  # the sample has overdue postings
        assert cli.main(["status", "--on", SAMPLE_ON]) == 0
    assert "Quá hạn" in capsys.readouterr().out


def test_the_github_pages_workflow_builds_daily_and_alerts() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / "deploy" / "github-pages.yml").read_text(encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))
    assert on["schedule"][0]["cron"].endswith("* * *")
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("build.py build" in s and "--site-url" in s for s in steps)
    assert any("status --fail-on-overdue" in s for s in steps)
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)


# --- Security headers and the Content-Security-Policy, in a real browser -------------------------

CSP_PAGES = [
    "", "so-gddt/", "ubnd-phuong-hoa-sen/", "thcs-hoa-sen/", "phong-gddt-tan-ha/", "thcs-hoa-sen/tai-chinh/",
    "thcs-hoa-sen/tinh-hinh-cong-khai/", "nghia-vu/", "huong-dan/", "thcs-hoa-sen/moi-nhat/", "khong-co-trang-nay/",
]


def test_every_answer_carries_the_security_headers(nginx: str, sample_site: Path) -> None:
    from congkhai.site.audit import CONTENT_SECURITY_POLICY

    for path in ("", "thcs-hoa-sen/", "rss.xml", "data/documents.json", "pagefind/pagefind.js",
                 one(sample_site, "pagefind/wasm.*.pagefind"), one(sample_site, "assets/javascripts/bundle.*.min.js"),
                 "khong-co-trang-nay/"):
        headers = head(nginx + path)[1]
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", path
        assert headers.get("content-security-policy") == CONTENT_SECURITY_POLICY + "; frame-ancestors 'self'", path
    embed = head(nginx + "thcs-hoa-sen/moi-nhat/")[1]["content-security-policy"]
    assert "frame-ancestors *" in embed and "script-src 'none'" in embed  # embeddable anywhere, runs nothing
    # the same policies travel inside every page, for hosts that send no headers (GitHub Pages)
    for page in ("index.html", "thcs-hoa-sen/index.html", "404.html"):
        text = (sample_site / page).read_text(encoding="utf-8")
        assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' in text, page
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in text, page


def test_no_page_breaks_the_content_security_policy_in_chromium(nginx: str, browser, sample_site: Path) -> None:
    """Every kind of page, the search with results and a document's table of contents run under the
    policy nginx sends: the browser reports no violation and the page's scripts work."""
    documents = [one(sample_site, f"thcs-hoa-sen/{kind}/*/index.html").removesuffix("index.html")
                 for kind in ("ke-hoach", "tai-chinh", "thong-bao")] + \
                [one(sample_site, "so-gddt/thu-tuc/*/index.html").removesuffix("index.html")]
    page = browser.new_page()
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    seen = {}
    for path in CSP_PAGES + documents:
        page.goto(nginx + path)
        page.wait_for_load_state("networkidle")
        seen[path] = page.evaluate("window.__csp")
        if "moi-nhat" not in path:  # the embeddable page runs no script at all
            # Material's bundle ran (it marks the document), so the scripts were allowed to load
            assert page.evaluate("document.documentElement.classList.contains('js')"), path
    page.goto(nginx + "tim-kiem/?q=ke+hoach")
    page.wait_for_selector(".ck-results[data-ck-state=done]", timeout=15000)
    assert page.locator(".ck-results .ck-result").count() > 0  # Pagefind's WebAssembly ran under the policy
    seen["tim-kiem/"] = page.evaluate("window.__csp")
    assert {path: found for path, found in seen.items() if found} == {}
    assert [text for text in console if "Content Security Policy" in text] == []


def test_the_web_editor_runs_under_its_own_policy_and_is_not_indexed(nginx: str, browser, sample_site: Path) -> None:
    """/quan-tri/ gets the editor's policy (Decap compiles code: 'unsafe-eval'), noindex, and no framing;
    Decap's versioned files are cached a year; Decap starts under the policy with no violation (its
    backend answered here as the local editor's would be)."""
    from congkhai.site.audit import admin_content_security_policy

    headers = head(nginx + "quan-tri/")[1]
    assert headers.get("content-security-policy") == admin_content_security_policy() + "; frame-ancestors 'none'"
    assert headers.get("x-robots-tag") == "noindex, nofollow"
    vendor = one(sample_site, "quan-tri/decap-*/decap-cms.js")
    assert head(nginx + vendor)[1].get("cache-control") == "public, max-age=31536000, immutable"
    page = browser.new_page()
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page.route("**/__congkhai/bien-tap.json", lambda route: route.fulfill(json={
        "api": "/__congkhai/api/v1", "validate": "/__congkhai/kiem-tra", "status": "/__congkhai/trang-thai.json",
        "publish_mode": "simple", "content": "content"}))
    page.route("**/__congkhai/api/v1", lambda route: route.fulfill(
        json={"repo": "cong-khai", "publish_modes": ["simple"], "type": "local_fs"}
        if '"info"' in (route.request.post_data or "") else []))
    page.goto(nginx + "quan-tri/?don-vi=thcs-hoa-sen")
    page.get_by_role("button", name="Đăng nhập").wait_for(timeout=60_000)  # Decap started, in Vietnamese
    assert page.evaluate("window.__csp") == []

