"""The command line (`python build.py …`): parse arguments, call the pipeline, print, exit.

Exit status: 0 success, 1 content errors, 2 wrong usage, 128 + the signal's number when stopped by
SIGINT (130) or SIGTERM (143).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .build import output, parallel
from .config import Settings, SettingsError, default_cache_dir, today_in_vietnam
from .config import load as load_settings
from .model.problems import Severity, os_problem
from .model.text import format_date

if TYPE_CHECKING:
    from .build import pipeline
    from .rules.compliance import Check


def _pipeline() -> Any:
    """Return the pipeline module, imported only when a command needs it (the up-to-date check of
    `build` runs without the heavy libraries it brings)."""
    from .build import pipeline

    return pipeline




class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese usage errors (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi cách dùng: {message}\nXem thêm: python build.py --help\n")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, nhận được '{value}'")
    return number


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần ngày dạng YYYY-MM-DD, nhận được '{value}'") from None


def _inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), help="thư mục văn bản (mặc định: content)")
    p.add_argument("--units", type=Path, default=Path("units"), help="thư mục đơn vị (mặc định: units)")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="cấu hình giao diện (mặc định: mkdocs.yml)")
    p.add_argument("--on", type=_date, default=None, metavar="DATE",
                   help="coi DATE (YYYY-MM-DD) là 'hôm nay' để kết quả lặp lại được (mặc định: hôm nay)")
    p.add_argument("--strict", action="store_true", help="coi mọi cảnh báo là lỗi")


def make_parser() -> argparse.ArgumentParser:
    """Return the parser of every subcommand."""
    parser = _Parser(prog="python build.py", description="Dựng cổng công khai từ content/ và units/.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    b = sub.add_parser("build", help="kiểm tra và dựng trang web (mặc định)")
    _inputs(b)
    b.add_argument("--out", type=Path, default=None, help="thư mục đầu ra (mặc định: site)")
    b.add_argument("--site-url", default=None, help="địa chỉ công khai của cổng (ghi đè site_url trong mkdocs.yml)")
    b.add_argument("--no-search", action="store_true", help="không tạo chỉ mục tìm kiếm (xem trước nhanh hơn)")
    b.add_argument("--jobs", type=_positive, default=None, metavar="N",
                   help="số tiến trình dựng song song (mặc định: số lõi CPU)")
    b.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                   help="thư mục bộ nhớ đệm, xóa lúc nào cũng được (mặc định: .congkhai-cache cạnh mkdocs.yml)")
    b.add_argument("--no-cache", action="store_true", help="không dùng bộ nhớ đệm (dựng lại toàn bộ)")
    b.add_argument("--timings", action="store_true", help="in thời gian của từng bước và số phần dựng lại")
    b.add_argument("--unit", default=None, metavar="CODE",
                   help="dựng trang riêng của một đơn vị (cần --site-url: địa chỉ trang đó; mặc định ghi vào site-CODE/)")
    b.add_argument("--with-subordinates", action="store_true",
                   help="với --unit: gồm cả các đơn vị trực thuộc")
    c = sub.add_parser("check", help="chỉ kiểm tra nội dung, không dựng trang")
    _inputs(c)
    st = sub.add_parser("status", help="tình hình công khai: đã đăng, muộn, thiếu, sắp đến hạn")
    _inputs(st)
    st.add_argument("--unit", default=None, metavar="CODE", help="chỉ đơn vị này và các đơn vị trực thuộc")
    st.add_argument("--fail-on-overdue", action="store_true",
                    help="thoát với mã 1 nếu có nghĩa vụ quá hạn (dùng cho cron)")
    d = sub.add_parser("demo-corpus", help="tạo cổng tổng hợp (đơn vị và văn bản giả định) để đo hiệu năng")
    d.add_argument("--units", type=int, default=100, help="số đơn vị (mặc định: 100)")
    d.add_argument("--docs-per-unit", type=int, default=30, help="số văn bản mỗi đơn vị (mặc định: 30)")
    d.add_argument("--out", type=Path, required=True, help="thư mục ghi units/ và content/")
    d.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định: 2026)")
    im = sub.add_parser("import", help="nhập một văn bản Word (.docx), .txt hoặc .md thành tệp văn bản của cổng")
    im.add_argument("file", type=Path, metavar="FILE", help="tệp cần nhập")
    im.add_argument("--unit", required=True, metavar="CODE", help="mã đơn vị ban hành (tên tệp trong units/)")
    im.add_argument("--kind", default=None, metavar="KIND",
                    help="loại văn bản: tên thư mục của loại, ví dụ ke-hoach, tai-chinh (mặc định: theo tên loại)")
    im.add_argument("--slug", default=None, metavar="NAME", help="tên tệp (không dấu, không đuôi .md); mặc định: theo tiêu đề")
    im.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    im.add_argument("--content", type=Path, default=Path("content"), help="thư mục văn bản (mặc định: content)")
    im.add_argument("--units", type=Path, default=Path("units"), help="thư mục đơn vị (mặc định: units)")
    nw = sub.add_parser("new", help="tạo tệp văn bản mới từ mẫu có đủ các trường")
    nw.add_argument("kind", metavar="KIND", help="loại văn bản: tên thư mục của loại, ví dụ ke-hoach, thong-bao (danh sách: xem hướng dẫn soạn thảo)")
    nw.add_argument("--unit", required=True, metavar="CODE", help="mã đơn vị (tên tệp trong units/)")
    nw.add_argument("--title", default=None, metavar="TEXT", help="tiêu đề (trích yếu) của văn bản")
    nw.add_argument("--content", type=Path, default=Path("content"), help="thư mục văn bản (mặc định: content)")
    nw.add_argument("--units", type=Path, default=Path("units"), help="thư mục đơn vị (mặc định: units)")
    for name, about in (("serve", "xem trước trên máy, tự dựng lại khi sửa tệp"),
                        ("edit", "soạn thảo trên web (/quan-tri/) cạnh bản xem trước, như serve --edit")):
        sv = sub.add_parser(name, help=about)
        _inputs(sv)
        sv.add_argument("--port", type=int, default=8000, help="cổng mạng (mặc định: 8000)")
        sv.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định: 127.0.0.1, chỉ máy này)")
        if name == "serve":
            sv.add_argument("--edit", action="store_true",
                            help="kèm trang soạn thảo trên web /quan-tri/ (Decap CMS), lưu thẳng vào content/")
    return parser


def main(argv: list[str] | None = None, replaceable: bool = False) -> int:
    """Run the command line; return the exit status. `replaceable`: this process runs the command
    line alone (build.py), so a build may replace the program in it to finish (see _hand_over)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    if args.command is None:
        args = make_parser().parse_args(["build", *argv])
    if args.command in _AUTHORING:
        return _AUTHORING[args.command](args)
    if args.command == "build":
        usage = _build_usage(args)
        if usage:
            print(f"Lỗi cách dùng: {usage}", file=sys.stderr)
            return 2
    stamp = None
    if args.command == "build" and not args.no_cache and not args.timings:
        # Taken before the build reads anything: an input edited while it runs makes the next one build.
        stamp = _stamp(args)
        replayed = _up_to_date(args, stamp)
        if replayed is not None:
            return replayed
    try:
        settings = _settings(args)
    except SettingsError as exc:
        for problem in exc.problems:
            print(problem.render())
        print(f"Có {len(exc.problems)} lỗi và 0 cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên.")
        return 1
    try:
        return _command(args, settings, stamp, replaceable)
    except OSError as exc:
        return _machine_fault(exc)


def _machine_fault(exc: OSError) -> int:
    """Report a fault of the machine (disk full, no permission): one line, in Vietnamese, never a traceback."""
    print(f"Lỗi: {os_problem(exc)}", flush=True)
    print("Có 1 lỗi và 0 cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên.", flush=True)
    return 1


def _command(args: argparse.Namespace, settings: Settings, stamp: str | None, replaceable: bool = False) -> int:
    """Run `check`, `status`, `serve` or `build` with the settings read."""
    if args.command == "check":
        result = _pipeline().validate(settings)
        return _report(result, settings, done=f"Kiểm tra xong {_counts(result)}.")
    if args.command == "status":
        return _status(settings, args.unit, args.fail_on_overdue)
    if args.command in ("serve", "edit"):
        from .authoring.serve import serve_until_interrupted

        return serve_until_interrupted(settings, args.host, args.port, edit=args.command == "edit" or args.edit)
    return _build(settings, stamp, args.timings, replaceable)


def _build_usage(args: argparse.Namespace) -> str | None:
    """Fill in the defaults of `build` that depend on other options; return what is wrong in their use."""
    if args.unit and not args.site_url:
        return ("--unit cần --site-url (địa chỉ công khai của trang riêng), ví dụ "
                "--site-url https://truong.example.edu.vn/cong-khai/")
    if args.with_subordinates and not args.unit:
        return "--with-subordinates chỉ dùng cùng --unit"
    if args.out is None:
        args.out = Path(f"site-{args.unit}") if args.unit else Path("site")
    if args.cache_dir is None:
        args.cache_dir = default_cache_dir(args.config)
    for name, folder in (("--out", args.out), ("--cache-dir", None if args.no_cache else args.cache_dir)):
        for source in (args.content, args.units):
            if folder is not None and (folder.resolve() == source.resolve() or source.resolve() in folder.resolve().parents):
                return (f"{name} {folder} nằm trong thư mục nguồn {source}/; công cụ không bao giờ ghi vào {source}/. "
                        f"Sửa: chọn thư mục khác, ví dụ {'site' if name == '--out' else '.congkhai-cache'}.")
    return None


def _build(settings: Settings, stamp: str | None, timings: bool, replaceable: bool = False) -> int:
    """Run the build and print its report; remember it for the up-to-date check when it succeeded."""
    hand_over = (lambda state: _hand_over(state, stamp, timings)) if replaceable and sys.executable else None
    try:
        with output.stop_on_signals(), _pipeline().few_collections():
            result = _pipeline().build(settings, log=lambda line: print(line, flush=True), apart=True,
                                       hand_over=hand_over)
    except output.Interrupted as stop:
        return _stopped(stop, settings)
    return _built(result, settings, stamp, timings)


def _hand_over(state: Path, stamp: str | None, timings: bool) -> None:
    """Replace this process's program by a new Python that finishes the build from `state` (see
    pipeline._stages_handed_over) and prints its report: the memory that held the portal is gone at
    once, before Pagefind indexes. Returns only when the replacement failed (OSError)."""
    root = str(Path(__file__).resolve().parent.parent)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from congkhai.cli import resume; "
            "resume(sys.argv[2], sys.argv[3], sys.argv[4])")
    # A stop (Ctrl+C, SIGTERM) that comes while the new program starts waits, blocked (the mask outlives
    # the replacement), until pipeline.resume can clean up after it.
    signal.pthread_sigmask(signal.SIG_BLOCK, output.STOP_SIGNALS)
    try:
        os.execv(sys.executable, [sys.executable, "-c", code, root, str(state), stamp or "", "1" if timings else ""])
    finally:  # still here: the stop comes now, to this program's handler
        signal.pthread_sigmask(signal.SIG_UNBLOCK, output.STOP_SIGNALS)


def resume(state: str, stamp: str, timings: str) -> NoReturn:
    """The program that replaced a build's (_hand_over): finish it, print its report and end the
    process with the build's exit status."""
    code = 1
    try:
        saved = _pipeline().handed_over(Path(state))
        settings = saved["settings"]
        try:
            with output.stop_on_signals(), _pipeline().few_collections():
                result = _pipeline().resume(saved, log=lambda line: print(line, flush=True))
        except output.Interrupted as stop:
            code = _stopped(stop, settings)
        else:
            code = _built(result, settings, stamp or None, bool(timings))
    except OSError as exc:
        code = _machine_fault(exc)
    except BaseException:  # as Python would show it, had the build ended in the program it replaced
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _stopped(stop: output.Interrupted, settings: Settings) -> int:
    if stop.published:
        print(f"Đã dừng theo yêu cầu ({stop}) ngay sau khi trang mới được đặt vào {settings.out}/.", flush=True)
    else:
        print(f"Đã dừng theo yêu cầu ({stop}). Chưa dựng xong trang; trang đã dựng trước đó được giữ nguyên.",
              flush=True)
    return 128 + stop.signum


def _built(result: pipeline.Result, settings: Settings, stamp: str | None, timings: bool) -> int:
    """Print a build's report; remember it for the up-to-date check when it succeeded."""
    printed: list[str] = []
    code = _report(result, settings, done=None, emit=lambda line: (printed.append(line), print(line)))
    if code == 0 and stamp is not None and settings.cache_dir is not None:
        from .build import quick

        quick.remember(settings.cache_dir, settings.out, stamp, result.files, printed[:-1] + [
            f"Đã dựng {result.pages} trang ({_counts(result)}) vào {settings.out}/: không có gì thay đổi kể từ "
            "lần dựng trước, trang đã dựng vẫn đúng."])
    if timings and result.timings:
        labels = {"validate": "đọc và kiểm tra", "parts": "dựng các phần", "index": "sổ đăng ký, sơ đồ trang",
                  "search": "chỉ mục tìm kiếm", "publish": "ghi trang"}
        print("Thời gian: " + ", ".join(f"{labels[k]} {v:.2f} giây" for k, v in result.timings.items())
              + f". Phần dựng lại: {result.parts_built}, lấy từ bộ nhớ đệm: {result.parts_reused}; "
              f"trang qua MkDocs: {result.pages_rendered}.")
    return code


def _demo_corpus(args: argparse.Namespace) -> int:
    from .authoring.demo import write_corpus

    units, docs = write_corpus(args.out, args.units, args.docs_per_unit, args.seed)
    print(f"Đã tạo {units} đơn vị và {docs} văn bản trong {args.out}/ (units/, content/).")
    return 0


def _stamp(args: argparse.Namespace) -> str:
    from .build import quick

    today = args.on or today_in_vietnam()
    wanted = {"content": str(args.content), "units": str(args.units), "out": str(args.out), "today": today.isoformat(),
              "strict": args.strict, "site_url": args.site_url, "search": not args.no_search,
              "cache": str(args.cache_dir), "unit": args.unit, "subordinates": args.with_subordinates}
    return quick.input_stamp(wanted, args.config, args.content, args.units)


def _up_to_date(args: argparse.Namespace, stamp: str) -> int | None:
    """Print the last build's messages and return 0 when nothing it read changed (`stamp`, see
    _stamp); None otherwise."""
    from .build import quick

    lines = quick.replay(args.cache_dir, args.out, stamp)
    if lines is None:
        return None
    for line in lines:
        print(line)
    return 0


def _counts(result: pipeline.Result) -> str:
    counted = _pipeline().shown_counts(result)
    if counted is None:
        return ""
    units, documents, drafts = counted
    return f"{units} đơn vị, {documents} văn bản đăng công khai" + (f", {drafts} bản nháp" if drafts is not None else "")


def _settings(args: argparse.Namespace) -> Settings:
    """Return the settings of this command: mkdocs.yml read once, with the command line's options."""
    options: dict[str, Any] = {"content": args.content, "units": args.units, "today": args.on or today_in_vietnam(),
                               "strict": args.strict, "progress": True}
    if args.command == "build":
        options.update(out=args.out, search=not args.no_search, jobs=args.jobs or parallel.default_jobs(),
                       cache_dir=None if args.no_cache else args.cache_dir, unit=args.unit,
                       with_subordinates=args.with_subordinates)
    if args.command in ("serve", "edit"):
        options.update(jobs=parallel.default_jobs(), cache_dir=default_cache_dir(args.config))
    return load_settings(args.config, site_url=getattr(args, "site_url", None), **options)


def _report(result: pipeline.Result, options: Settings, done: str | None,
            emit: Callable[[str], Any] = print) -> int:
    problems = result.problems.sorted()
    for problem in problems:
        emit(problem.render(options.strict))
    for note in result.notes:
        emit(note)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR or options.strict)
    warnings = len(problems) - errors
    if result.failure:
        emit(f"Lỗi: {result.failure}")
    if errors or result.failure:
        emit(f"Có {errors} lỗi và {warnings} cảnh báo. Chưa dựng trang; trang đã dựng trước đó được giữ nguyên.")
        return 1
    if done:
        emit(done + (f" {warnings} cảnh báo." if warnings else " Không có lỗi."))
    else:
        emit(
            f"Đã dựng {result.pages} trang ({_counts(result)}) vào {options.out}/ trong {result.seconds:.1f} giây"
            + (f"; {warnings} cảnh báo." if warnings else ".")
            + (" Không có gì thay đổi: trang đã dựng trước đó vẫn đúng." if result.unchanged else "")
        )
    return 0


def _status(options: Settings, unit: str | None, fail_on_overdue: bool) -> int:
    result = _pipeline().validate(options)
    if not result.ok(options.strict) or result.portal is None or result.compliance is None:
        return _report(result, options, done=None)
    portal = result.portal
    if unit is not None and unit not in portal.units:
        print(f"Lỗi cách dùng: không có đơn vị '{unit}'. Các mã đơn vị: {', '.join(portal.units)}", file=sys.stderr)
        return 2
    print(status_table(result, unit))
    from .rules.compliance import Standing

    # a unit that no longer exists cannot post any more: its history is reported, not failed on
    overdue = [c for c in status_checks(result, unit) if c.standing is Standing.OVERDUE and not c.dissolved]
    return 1 if fail_on_overdue and overdue else 0


def status_checks(result: pipeline.Result, unit: str | None) -> list[Check]:
    """Return the checks `status` prints: every unit, or one unit and the units under it today."""
    assert result.portal is not None and result.compliance is not None
    units = result.portal.units
    today = result.compliance.today
    return [
        c for c in result.compliance.checks
        if unit is None or units.is_overseen_by(c.unit, unit, today if units[c.unit].active_on(today)
                                                else (units[c.unit].active_until or today))
    ]


STATUS_HEADER = ("Nghĩa vụ", "Kỳ", "Hạn", "Tình trạng", "Văn bản")


def status_table(result: pipeline.Result, unit: str | None) -> str:
    """Return the compliance statuses as plain text: one block per unit under its Vietnamese name, one
    row per obligation and period (columns separated by at least two spaces), then the totals."""
    assert result.portal is not None and result.compliance is not None
    checks = status_checks(result, unit)
    units = result.portal.units
    today = result.compliance.today
    scope = "mọi đơn vị" if unit is None else f"{units[unit].name} và các đơn vị thuộc phạm vi theo dõi"
    rows = {c.key: _status_row(c) for c in checks}
    widths = [max(len(r[i]) for r in [STATUS_HEADER, *rows.values()]) for i in range(4)]
    lines = [f"Tình hình công khai ngày {format_date(today)} ({scope})", ""]
    for code in dict.fromkeys(c.unit for c in checks):
        lines.append(_status_heading(units[code], checks, units, today))
        for row in [STATUS_HEADER, *(rows[c.key] for c in checks if c.unit == code)]:
            lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
        lines.append("")
    from .rules.compliance import Standing

    counts = Counter(c.standing for c in checks)
    if any(c.assumed for c in checks):
        lines.append("* hạn tính theo ngày giả định vì văn bản chưa ghi ngày giao, ngày phê duyệt hay ngày gửi báo cáo.")
    if any(c.selection and c.selection.arguable for c in checks):
        lines.append("† có cách hiểu khác về quy định áp dụng cho kỳ này; xem trang tình hình công khai của đơn vị.")
    lines.append("Tổng: " + ", ".join(f"{counts.get(s, 0)} {s.label.lower()}" for s in Standing) + ".")
    return "\n".join(line.rstrip() for line in lines)


def _status_row(check: Check) -> tuple[str, str, str, str, str]:
    """Return one row of `status`: obligation, period, deadline, status, posting, all in words."""
    deadline = format_date(check.deadline) + ("*" if check.assumed else "") if check.deadline else "thường xuyên"
    if check.deadline and not check.period:
        deadline = f"từ {format_date(check.deadline)}"
    if check.selection and check.selection.arguable:
        deadline += "†"
    period = check.period.label if check.period else "thường xuyên"
    posting = check.posting.title if check.posting else ""
    return (check.rule.short, period, deadline, f"{check.standing.symbol} {check.describe()}", " ".join(posting.split()))


def _status_heading(unit: Any, checks: list[Check], units: Any, today: date) -> str:
    """Return a unit's heading line in `status`: its name, and for a unit that no longer exists, the day
    it was judged on and the unit that must act today."""
    if unit.active_on(today):
        return unit.name
    responsible = next((c.responsible for c in checks if c.unit == unit.code), None)
    who = f"; đơn vị phải xử lý hiện nay: {units[responsible].name}" if responsible in units else ""
    return f"{unit.name} (ngừng hoạt động từ {format_date(unit.active_until)}, đánh giá đến ngày đó{who})"


def _import(args: argparse.Namespace) -> int:
    from .authoring.importer import ImportFailure, import_document, summary

    try:
        result = import_document(args.file, args.unit, args.content, args.units, kind=args.kind,
                                 force=args.force, slug=args.slug, today=today_in_vietnam())
    except ImportFailure as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.status
    for line in summary(result):
        print(line)
    return 0


def _new(args: argparse.Namespace) -> int:
    from .authoring.scaffold import NewDocumentError, create_document

    try:
        path = create_document(args.kind, args.unit, args.title, args.content, args.units)
    except NewDocumentError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.status
    print(f"Đã tạo {path}")
    print("Tiếp theo: mở tệp, điền tiêu đề và các trường cần thiết, rồi chạy 'python build.py check'.")
    return 0


# Commands that write an author's files and need neither the settings nor the pipeline.
_AUTHORING: dict[str, Callable[[argparse.Namespace], int]] = {"demo-corpus": _demo_corpus, "import": _import,
                                                             "new": _new}
