"""Builds that cannot step on each other: several builds started at once against one cache folder (and,
for two of them, one output folder) each publish exactly what the same build run alone publishes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest
from conftest import REPO, Site, tree_digest

from congkhai.build.cache import FORMAT

# Each build: its output folder and options. Two days (different compliance, feeds), a unit's own site.
BUILDS = {
    "a": ["--out", "site-a", "--on", "2026-03-01"],
    "b": ["--out", "site-b", "--on", "2026-11-22"],
    "c": ["--out", "site-c", "--on", "2026-11-22", "--unit", "thcs-a", "--site-url", "https://thcs-a.example.vn/"],
    "d": ["--out", "site-a", "--on", "2026-03-01", "--no-search"],  # into a's folder: must wait for it
}


def command(root: Path, options: list[str], cache: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "build", "--config", str(root / "mkdocs.yml"),
            "--cache-dir", cache, *options]


@pytest.fixture
def portal(site: Site) -> Site:
    site.standard_units()
    for number in range(6):
        site.doc("thcs-a", "ke-hoach", f"ke-hoach-{number}", f"title: Kế hoạch số {number}\ndate: 2025-0{number + 1}-10\n"
                 f"number: 0{number + 1}/KH-THCS\n", body=f"## Mục {number}\n\nNội dung kế hoạch {number}.\n")
        site.doc("ubnd-xa", "thong-bao", f"thong-bao-{number}", f"title: Thông báo {number}\ndate: 2025-0{number + 1}-12\n")
    site.config()  # mkdocs.yml beside the portal
    return site


def solo(root: Path, name: str) -> dict[str, str]:
    """Return the site build `name` publishes alone, with a cache of its own."""
    options = BUILDS[name]
    out = f"solo-{name}"
    done = subprocess.run(command(root, [*options[:1], out, *options[2:]], f"cache-solo-{name}"), cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return tree_digest(root / out)


def test_builds_started_together_on_one_cache_publish_what_each_would_alone(portal: Site) -> None:
    root = portal.root
    wanted = {name: solo(root, name) for name in ("a", "b", "c", "d")}
    assert wanted["a"] != wanted["b"] != wanted["c"]
    for round_number, names in enumerate([("a", "b", "c"), ("c", "b", "a"), ("a", "d", "b", "c")]):
        for old in root.glob("site-*"):  # so that each round builds (and does not find them up to date)
            shutil.rmtree(old)
        logs = {name: root / f"log-{name}.txt" for name in names}
        # the test holds the shared cache first (and the part a unit's own site keeps apart), so every build
        # must find it taken, say so and wait its turn whatever the machine's speed; it lets go once each
        # has said it waits
        held = []
        for folder in (root / "shared-cache", root / "shared-cache" / "don-vi-thcs-a"):
            folder.mkdir(parents=True, exist_ok=True)
            held.append(filelock.FileLock(folder / "lock"))
            held[-1].acquire(timeout=60)
        try:
            running = {}
            for name in names:
                with logs[name].open("w") as log:
                    running[name] = subprocess.Popen(command(root, BUILDS[name], "shared-cache"), cwd=root,
                                                     text=True, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 300
            while not all("Đang chờ" in logs[n].read_text() for n in names) and time.monotonic() < deadline:
                assert all(p.poll() is None for p in running.values()), {n: logs[n].read_text() for n in names}
                time.sleep(0.1)
        finally:
            for lock in held:
                lock.release()
        for process in running.values():
            process.wait(timeout=600)
        printed = {name: logs[name].read_text() for name in names}
        for name, process in running.items():
            assert process.returncode == 0, (round_number, name, printed[name])
        # a and d share an output folder: whichever finished last is what it holds, exactly
        last = max(("a", "d"), key=lambda n: names.index(n) if n in names else -1) if "d" in names else "a"
        published = {"site-a": tree_digest(root / "site-a"), "site-b": tree_digest(root / "site-b"),
                     "site-c": tree_digest(root / "site-c")}
        assert published["site-b"] == wanted["b"], round_number
        assert published["site-c"] == wanted["c"], round_number
        assert published["site-a"] in (wanted["a"], wanted["d"]), round_number
        if "d" not in names:
            assert published["site-a"] == wanted[last], round_number
        # one cache: builds took turns, and each said so while it waited
        assert all("Đang chờ" in printed[name] for name in names), printed
        assert all(("Đã dựng" in printed[name]) for name in names), printed
    # nothing of any build was left in the shared cache's scratch space
    scratch = root / "shared-cache" / f"v{FORMAT}" / "scratch"
    assert not scratch.exists() or list(scratch.iterdir()) == []
