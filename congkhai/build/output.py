"""Publishing the output folder atomically: build beside it, then swap in one step, so a failed or
interrupted build never leaves a half-written site.

SIGTERM (what `kill`, systemd and CI send) stops a build the way Ctrl+C (SIGINT) does: the staging
folder is removed and the published site stays as it was. Both signals are held back during the swap
itself, so the output folder is always either the old site or the new one. A build killed outright
(SIGKILL, power loss) leaves its staging folder behind; the next build removes it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from .cache import process_alive

MARKER = ".congkhai-site"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class OutputError(Exception):
    """The output folder cannot be used; the message says why."""


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop by a signal (SIGINT or SIGTERM); `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.published = False  # True when it came just after the new site was swapped in


@contextmanager
def _handling(handler: Callable[[int, FrameType | None], None]) -> Iterator[dict[int, Any] | None]:
    """Handle SIGINT and SIGTERM with `handler` in the block and restore the previous handlers after;
    yield those (None outside the main thread, where Python cannot handle signals: nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield None
        return
    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield previous
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


_REQUESTED: list[int] = []  # stops asked for in this process (a raise can be swallowed: see below)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Raise Interrupted in the block on SIGINT or SIGTERM (so `finally` and `except BaseException`
    clean up as after Ctrl+C).

    Python drops an exception raised where it cannot propagate ("Exception ignored in": a fork hook, a
    finaliser, a weak reference's callback); a signal landing there would be lost and the build would
    publish as if never asked to stop. So the request is also remembered, and `raise_if_stopped`
    (called before the new site is swapped in) raises it again."""
    _REQUESTED.clear()

    def stop(signum: int, frame: FrameType | None) -> None:
        _REQUESTED.append(signum)
        raise Interrupted(signum)

    try:
        with _handling(stop):
            yield
    finally:
        _REQUESTED.clear()


def raise_if_stopped() -> None:
    """Raise Interrupted when a stop was asked for in this build, even if its first raise was lost."""
    if _REQUESTED:
        raise Interrupted(_REQUESTED[0])


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back during the block and deliver the first one after it (to the
    handler that was in place), so that a step that must not be cut in two is never cut."""
    pending: list[int] = []
    with _handling(lambda signum, frame: pending.append(signum)) as previous:
        yield
    if pending and previous:
        handler = previous[pending[0]]
        if callable(handler):
            handler(pending[0], None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(pending[0])


@contextmanager
def held(out: Path, wait: Callable[[str], None]) -> Iterator[Any]:
    """Hold the output folder's lock (`.<name>.lock` beside it) in the block, which receives it: builds
    into the same folder take turns, the later one waiting and saying so through `wait`."""
    from .cache import hold

    resolved = out.resolve()
    resolved.parent.mkdir(parents=True, exist_ok=True)
    lock = hold(resolved.parent / f".{resolved.name}.lock", wait, f"thư mục đầu ra {out}")
    try:
        yield lock
    finally:
        lock.release()


def check_target(out: Path, protected: list[Path]) -> None:
    """Raise OutputError unless `out` may be replaced by a build: it must not hold the inputs, and it
    must be new, empty, or a site this tool built (it carries the marker file)."""
    resolved = out.resolve()
    for path in protected:
        p = path.resolve()
        if resolved == p or resolved in p.parents:
            raise OutputError(f"thư mục đầu ra {out} chứa dữ liệu nguồn {path}; hãy chọn thư mục khác (ví dụ site/).")
    if resolved.exists():
        if not resolved.is_dir():
            raise OutputError(f"{out} đã tồn tại và không phải thư mục.")
        if any(resolved.iterdir()) and not (resolved / MARKER).exists():
            raise OutputError(
                f"{out} đã có dữ liệu không do công cụ này tạo ra; không ghi đè. Hãy chọn thư mục trống hoặc xóa nó."
            )


def staging_dir(out: Path) -> Path:
    """Return a new empty folder beside `out` to build into (same file system, so the swap is a rename)."""
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    with signals_held():  # made whole before a stop can reach the caller, who removes it on a stop
        path = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=parent))
        path.chmod(folder_mode())  # mkdtemp makes it private (0700); the web server must read the site
        (path / MARKER).write_text("Thư mục này do congkhai (build.py) tạo ra; mỗi lần dựng sẽ thay thế toàn bộ.\n",
                                   encoding="utf-8")
    return path


def folder_mode() -> int:
    """Return the mode a folder made now gets from the umask (0755 under the usual umask 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


def clean_stale(out: Path) -> None:
    """Remove staging and retired folders left by builds that were killed (their process is gone)."""
    parent = out.resolve().parent
    if not parent.is_dir():
        return
    for state in ("tmp", "old"):
        prefix = f".{out.name}.{state}-"
        for path in parent.glob(prefix + "*"):
            owner = path.name[len(prefix):].split("-", 1)[0]
            if owner.isdigit() and int(owner) != os.getpid() and process_alive(int(owner)):
                continue  # another build is running
            shutil.rmtree(path, ignore_errors=True)


def previous_dir(out: Path) -> Path:
    """Return where the site before the current one is kept (hard links), to build the next one from."""
    out = out.resolve()
    return out.parent / f".{out.name}.prev"


def stage(out: Path, wanted: dict[str, tuple[str, int]]) -> Path:
    """Return a staging folder beside `out` holding exactly the `wanted` files (cache.wanted_files), as
    hard links.

    It starts from the previous site kept by `publish` when there is one, so only the files that
    changed since are linked or removed; otherwise from an empty folder.
    """
    from .cache import link_tree

    staged = staging_dir(out)
    try:
        kept = previous_dir(out)
        if (kept / MARKER).is_file():
            shutil.rmtree(staged)
            os.rename(kept, staged)
        elif kept.exists():
            shutil.rmtree(kept, ignore_errors=True)
        link_tree(wanted, staged, keep={MARKER})
    except BaseException:  # stopped (Ctrl+C, SIGTERM) or failed half-way: leave no staging folder behind
        discard(staged)
        raise
    return staged


def publish(staged: Path, out: Path, wanted: dict[str, tuple[str, int]] | None = None) -> None:
    """Replace `out` by `staged` in one step (atomic exchange where the system offers it); SIGINT and
    SIGTERM wait until the new site is in place. The site it replaces is kept as the start of the next
    build's staging folder. When there was no site before, a spare copy of the new one (hard links to
    the `wanted` files it holds) is made for that purpose instead: otherwise the first rebuild after a
    first build would have to create every folder of the site again, and on a busy disk creating a
    folder is what costs the most."""
    out = out.resolve()
    retired: Path | None = None
    raise_if_stopped()
    try:
        with signals_held():
            if not out.exists():
                os.rename(staged, out)
                if wanted is not None:
                    _spare(out, wanted)
            elif _exchange(staged, out):
                retired = staged  # now holds the previous site
            else:
                retired = out.parent / f".{out.name}.old-{os.getpid()}-{os.urandom(4).hex()}"
                os.rename(out, retired)
                os.rename(staged, out)
    except Interrupted as stop:
        stop.published = True
        raise
    finally:
        if retired is not None:
            _keep(retired, previous_dir(out))


def _spare(out: Path, wanted: dict[str, tuple[str, int]]) -> None:
    """Make previous_dir(out) hold the site just published in `out` (hard links), unless it is kept already."""
    from .cache import link_file, link_tree

    kept = previous_dir(out)
    if (kept / MARKER).is_file():
        return
    if kept.exists():
        shutil.rmtree(kept, ignore_errors=True)
    spare = staging_dir(out)
    try:
        link_tree(wanted, spare, keep={MARKER})
        link_file(out / MARKER, spare / MARKER)  # the very same files as `out`, its marker too
        os.rename(spare, kept)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)  # only a head start for the next build: it can do without


def _keep(previous: Path, kept: Path) -> None:
    if kept.exists():
        shutil.rmtree(kept, ignore_errors=True)
    try:
        os.rename(previous, kept)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def holds_exactly(out: Path, wanted: dict[str, tuple[str, int]], first: Iterable[str] = ()) -> bool:
    """Return True when `out` is a site this tool built and holds exactly the `wanted` files
    (cache.wanted_files) as the very same files (hard links to them): then there is nothing to write.
    The files named in `first` (those just rebuilt, most likely to differ) are looked at before the
    whole folder is walked."""
    from .cache import tree_inodes

    if not (out / MARKER).is_file():
        return False
    for rel in first:
        try:
            if os.stat(os.path.join(out, rel)).st_ino != wanted[rel][1]:
                return False
        except OSError:
            return False
    found = tree_inodes(out)
    found.pop(MARKER, None)
    return found == {rel: inode for rel, (_, inode) in wanted.items()}


def discard(staged: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staged, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux renameat2(RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
