"""Publishing: a build stopped at any moment (SIGINT, SIGTERM, even SIGKILL) leaves the old site or
the new one, never a mixture, and the next build leaves no temporary folder behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, tree_digest

from congkhai.build import output

FIXTURE = REPO / "tests" / "fixtures" / "mini"
DAYS = ("2026-11-22", "2026-11-23")  # two "todays": two different sites from the same input


def build_command(on: str, out: str = "site") -> list[str]:
    # Without the cache, every build does the whole work, so a stop lands in the middle of it.
    return [sys.executable, "-u", str(REPO / "build.py"), "build", "--config", str(CONFIG), "--on", on, "--out", out,
            "--no-cache"]


def leftovers(root: Path) -> list[str]:
    """Return what a build may leave beside the output folder (staging, retired and scratch folders;
    `.site.prev`, the previous site kept to start the next staging folder from, is not one)."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site.tmp-", ".site.old-", ".congkhai-")))


def start(root: Path, on: str) -> subprocess.Popen[str]:
    return subprocess.Popen(build_command(on), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop_after(process: subprocess.Popen[str], sig: int, delay: float | None, after_line: str | None) -> str:
    """Send `sig` `delay` seconds after start, or right after the build prints `after_line`; return what it printed."""
    printed = []
    if after_line is not None:
        for line in process.stdout:
            printed.append(line)
            if line.startswith(after_line):
                break
        time.sleep(delay or 0)
    else:
        time.sleep(delay)
    if process.poll() is None:
        process.send_signal(sig)
    rest, _ = process.communicate(timeout=120)
    return "".join(printed) + rest


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> tuple[Path, dict[str, dict[str, str]]]:
    """The fixture portal in a folder of its own, and the tree of the site it gives on each day."""
    root = tmp_path_factory.mktemp("kill")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    sites = {}
    for day in DAYS:
        subprocess.run(build_command(day, f"ref-{day}"), cwd=root, check=True, capture_output=True, timeout=300)
        sites[day] = tree_digest(root / f"ref-{day}")
        shutil.rmtree(root / f"ref-{day}")
    assert sites[DAYS[0]] != sites[DAYS[1]]
    return root, sites


# (signal, seconds after the start or after the line, the line to wait for)
STOPS = [
    (signal.SIGTERM, 0.3, None),                # while Python starts
    (signal.SIGINT, 1.0, None),                 # while loading and checking
    (signal.SIGTERM, 0.0, "Đang dựng"),         # as MkDocs starts
    (signal.SIGINT, 0.4, "Đang dựng"),          # while MkDocs renders
    (signal.SIGTERM, 0.8, "Đang dựng"),         # around search, feeds and the link check
    (signal.SIGKILL, 0.5, "Đang dựng"),         # no chance to clean up
    (signal.SIGTERM, 1.2, "Đang dựng"),         # late: around the swap
    (signal.SIGKILL, 1.1, "Đang dựng"),
]


def test_a_build_stopped_at_any_moment_leaves_the_old_or_the_new_site(portal) -> None:
    root, sites = portal
    subprocess.run(build_command(DAYS[0]), cwd=root, check=True, capture_output=True, timeout=300)
    current = DAYS[0]
    outcomes = []
    for sig, delay, line in STOPS:
        wanted = DAYS[1] if current == DAYS[0] else DAYS[0]
        process = start(root, wanted)
        printed = stop_after(process, sig, delay, line)
        digest = tree_digest(root / "site")
        assert digest in (sites[current], sites[wanted]), f"a mixture after {sig.name} at {delay}s: {printed}"
        finished = digest == sites[wanted]
        if sig is not signal.SIGKILL:
            assert leftovers(root) == [], printed  # stopped cleanly: its staging folder is gone
            if not finished:  # stopped by our handler (143/130), or while Python was still starting (-15/-2)
                assert process.returncode in (128 + sig, -sig), printed
                assert ("Đã dừng theo yêu cầu" in printed) == (process.returncode == 128 + sig), printed
        outcomes.append("mới" if finished else "cũ")
        current = wanted if finished else current
    assert "cũ" in outcomes  # at least some stops landed before the swap
    done = subprocess.run(build_command(DAYS[1]), cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout
    assert leftovers(root) == []
    assert tree_digest(root / "site") == sites[DAYS[1]]


def test_sigterm_prints_why_and_exits_143(portal) -> None:
    root, _ = portal
    process = start(root, DAYS[0])
    printed = stop_after(process, signal.SIGTERM, 0.0, "Đang dựng")
    assert process.returncode == 143
    assert printed.splitlines()[-1] == (
        "Đã dừng theo yêu cầu (SIGTERM). Chưa dựng xong trang; trang đã dựng trước đó được giữ nguyên."
    )


def handed_over(process: subprocess.Popen[str]) -> bool:
    """Wait until the build's process runs the program it hands over to (cli._hand_over: a new Python
    with `-c`); False when the build ended first."""
    while process.poll() is None:
        try:
            argv = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        if argv[1:2] == [b"-c"] and b"resume" in argv[2]:
            return True
        time.sleep(0.002)
    return False


def held_by_another(lock: Path) -> bool:
    import filelock

    try:
        filelock.FileLock(lock).acquire(timeout=0).lock.release()
    except filelock.Timeout:
        return True
    return False


def test_a_build_with_a_cache_hands_search_and_publishing_to_a_new_program_that_keeps_its_locks(portal) -> None:
    """The command line's build, with a cache and search, renders and then replaces its program by a new
    Python that indexes search and publishes (the memory that held the portal goes at once). The
    output folder's and the cache's locks stay held across; the site is the one built in one go;
    nothing is left in the cache's scratch space; the locks are free after."""
    root, sites = portal
    command = [*build_command(DAYS[0], "handed")[:-1], "--cache-dir", ".cache-handed"]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    replaced = handed_over(process)
    locks = [held_by_another(root / ".handed.lock"), held_by_another(root / ".cache-handed" / "lock")]
    printed, _ = process.communicate(timeout=300)
    assert process.returncode == 0, printed
    assert replaced and locks == [True, True], printed
    assert tree_digest(root / "handed") == sites[DAYS[0]]
    assert "Đã dựng" in printed.splitlines()[-1]
    assert list((root / ".cache-handed").glob("v*/scratch/*")) == []
    assert not held_by_another(root / ".handed.lock") and not held_by_another(root / ".cache-handed" / "lock")


def test_a_stop_while_the_build_hands_over_reaches_the_new_program_which_cleans_up(portal) -> None:
    """SIGTERM sent the moment the new program starts (before it could handle signals) waits, blocked,
    until it can clean up: exit 143 with the usual line, the old site kept, no scratch space left."""
    root, sites = portal
    subprocess.run(build_command(DAYS[0], "kept"), cwd=root, check=True, capture_output=True, timeout=300)
    command = [*build_command(DAYS[1], "kept")[:-1], "--cache-dir", ".cache-stopped"]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert handed_over(process)
    process.send_signal(signal.SIGTERM)
    printed, _ = process.communicate(timeout=300)
    assert process.returncode == 143, printed
    assert printed.splitlines()[-1] == (
        "Đã dừng theo yêu cầu (SIGTERM). Chưa dựng xong trang; trang đã dựng trước đó được giữ nguyên."
    )
    assert tree_digest(root / "kept") == sites[DAYS[0]]
    assert list((root / ".cache-stopped").glob("v*/scratch/*")) == [] and leftovers(root) == []
    assert not held_by_another(root / ".kept.lock") and not held_by_another(root / ".cache-stopped" / "lock")


def test_signals_held_during_the_swap_arrive_after_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / output.MARKER).write_text("", encoding="utf-8")
    (out / "cu.txt").write_text("cũ", encoding="utf-8")
    staged = output.staging_dir(out)
    (staged / "moi.txt").write_text("mới", encoding="utf-8")
    real_exchange = output._exchange

    def interrupted_exchange(a: Path, b: Path) -> bool:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the swap
        return real_exchange(a, b)

    output._exchange = interrupted_exchange
    try:
        with pytest.raises(output.Interrupted) as stop, output.stop_on_signals():
            output.publish(staged, out)
    finally:
        output._exchange = real_exchange
    assert stop.value.published and stop.value.signum == signal.SIGTERM
    assert sorted(p.name for p in out.iterdir()) == [output.MARKER, "moi.txt"]
    assert leftovers(tmp_path) == []


def test_staging_folders_of_dead_builds_are_removed_and_those_of_running_ones_kept(tmp_path: Path) -> None:
    out = tmp_path / "site"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / f".site.tmp-{dead.stdout.strip()}-abc").mkdir()
    (tmp_path / f".site.old-{dead.stdout.strip()}-abc").mkdir()
    running = tmp_path / f".site.tmp-{os.getppid()}-abc"
    running.mkdir()
    output.clean_stale(out)
    assert leftovers(tmp_path) == [running.name]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the dropped raise, on purpose
def test_a_stop_python_drops_still_keeps_the_new_site_out(tmp_path: Path) -> None:
    # Python drops an exception raised in a finaliser, a fork hook or a weak reference's callback
    # ("Exception ignored in"): a SIGTERM landing there must still stop the build before it publishes.
    out = tmp_path / "site"
    out.mkdir()
    (out / output.MARKER).write_text("", encoding="utf-8")
    (out / "cu.txt").write_text("cũ", encoding="utf-8")
    staged = output.staging_dir(out)
    (staged / "moi.txt").write_text("mới", encoding="utf-8")

    class Finalised:
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGTERM)
            sum(range(10))  # the handler runs here, inside the finaliser, and its exception is dropped

    with pytest.raises(output.Interrupted) as stop, output.stop_on_signals():
        Finalised()  # made and dropped at once: the stop's first raise is lost
        output.publish(staged, out)
    assert stop.value.signum == signal.SIGTERM and not stop.value.published
    assert sorted(p.name for p in out.iterdir()) == [output.MARKER, "cu.txt"]


def test_builds_leave_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    """Each process that rendered pages used to leave an empty MkDocs docs folder in /tmp (thousands
    after a day of builds and tests): a build with search, with a cache and without one, leaves the
    temporary folder as it found it."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    environment = {**os.environ, "TMPDIR": str(scratch)}
    for extra in (["--cache-dir", str(tmp_path / "cache")], ["--no-cache"]):
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--config", str(CONFIG), "--on", DAYS[0],
                               "--out", str(tmp_path / "site"), *extra], env=environment, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "site" / "pagefind").is_dir()
        assert sorted(p.name for p in scratch.iterdir()) == []
