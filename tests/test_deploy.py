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


@pytest.fixture(scope="module")
def nginx(sample_site: Path, tmp_path_factory):
    """The real nginx serving the sample site with deploy/nginx.conf; yields its base URL."""
    binary = require("nginx")
    work = tmp_path_factory.mktemp("nginx")
    conf = nginx_conf(sample_site, port := free_port(), work)
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
        "rss.xml": ("application/rss+xml; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/rss.xml": ("application/rss+xml; charset=utf-8", "no-cache"),
        "thcs-hoa-sen/qua-han.xml": ("application/rss+xml; charset=utf-8", "no-cache"),
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
