"""Markdown bodies converted once, within the limits: nesting counted per line, a render that recurses
too deep or takes too long reported instead of hanging or crashing the build — for every body, however
small — and the text kept for search and summaries."""

from __future__ import annotations

import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import Site

from congkhai.model import markup
from congkhai.model.markup import BodyError, nesting, render_body, summary
from congkhai.model.sanitize import clean, removed_parts

NESTED = "Mở đầu.\n\n" + "".join("    " * i + f"- Cấp {i + 1}\n" for i in range(25))


def test_nesting_counts_indentation_quotation_marks_and_list_markers() -> None:
    assert [nesting(line) for line in ["Chữ thường", "- mục", "    - mục con", "> - > - x", "\t\t1. x",
                                      "    mã lệnh thụt lề", ">>>> x", "-x", "12345678901. x"]] == [0, 1, 2, 4, 3, 0, 4, 0, 0]


def test_a_list_nested_past_the_limit_is_reported_on_its_line() -> None:
    with pytest.raises(BodyError) as error:
        render_body(NESTED)
    assert (error.value.line, error.value.message) == (
        22, "danh sách hoặc trích dẫn lồng nhau 21 cấp, tối đa 20 cấp. Sửa: bớt cấp lồng (mỗi cấp là 4 dấu cách "
            "thụt lề, một dấu '>' hay một dấu '-' đầu dòng).")
    assert render_body("".join("    " * i + "- x\n" for i in range(20))).blocks[0] == "x"


SLOW = "nội dung quá phức tạp: dựng trang mất hơn 0.3 giây. Sửa: kiểm tra các dấu '[', '(' hay '<' không được " \
       "đóng; nội dung rất dài thì đăng thành tệp PDF đính kèm."


def test_a_body_that_renders_too_slowly_is_stopped_and_reported(monkeypatch) -> None:
    monkeypatch.setattr(markup, "MAX_RENDER_SECONDS", 0.3)
    # Python-Markdown looks for the closing ']' of every '[' to the end of the paragraph: quadratic
    with pytest.raises(BodyError) as error:
        render_body("[" * 20_000)
    assert error.value.message == SLOW
    assert render_body("[liên kết](a.md) " * 2000).html.count("<a ") == 2000


def test_the_time_limit_holds_in_a_thread_too(monkeypatch) -> None:
    """The live preview builds in a thread of its own, where no alarm signal can be set."""
    monkeypatch.setattr(markup, "MAX_RENDER_SECONDS", 0.3)
    found: list[str] = []

    def work() -> None:
        try:
            render_body("[" * 20_000)
        except BodyError as exc:
            found.append(exc.message)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert found == [SLOW]
    assert render_body("Sau đó vẫn dựng bình thường.").lead == "Sau đó vẫn dựng bình thường."


def test_a_body_that_recurses_too_deep_is_reported_not_raised() -> None:
    import inspect

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)  # a small stack: the RecursionError a huge document gives
    try:
        with pytest.raises(BodyError) as error:
            render_body("".join("    " * i + "- x\n" for i in range(19)))
    finally:
        sys.setrecursionlimit(limit)
    assert error.value.message == ("nội dung lồng nhau quá sâu, không dựng được trang. Sửa: bớt các cấp danh sách, "
                                   "trích dẫn hay thẻ HTML lồng trong nhau.")


def test_a_small_pathological_body_is_found_by_check(site: Site, monkeypatch) -> None:
    """A body of a few characters can still be slow to convert: every body is held to the limit, and
    `check` (which converts every body once) reports it with the file's name."""
    monkeypatch.setattr(markup, "MAX_RENDER_SECONDS", 0.3)
    md, policy = markup._converter()

    class Stuck:  # what Python-Markdown does on some inputs: a loop that does not end in time
        def reset(self) -> None:
            md.reset()

        def convert(self, text: str) -> str:
            while "ngắn" in text:
                pass
            return md.convert(text)

    monkeypatch.setattr(markup, "_converter", lambda: (Stuck(), policy))
    markup._converter.cache_clear = lambda: None  # type: ignore[attr-defined]
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "cham", "title: Kế hoạch\ndate: 2025-03-01\n", body="[[[[ ngắn\n")
    assert site.messages() == [f"Lỗi: content/thcs-a/ke-hoach/cham.md: {SLOW}"]


def test_a_body_is_converted_once_into_what_pages_feeds_and_search_use() -> None:
    body = ("## Mục đích {: #muc-dich }\n\nĐoạn **đầu** của kế hoạch.\n\n!!! note \"Lưu ý\"\n    Nội dung.\n\n"
            "| Cột | Số |\n|---|---|\n| Chi | 1.200 |\n\n```\nmã\n```\n")
    rendered = render_body(body)
    assert rendered.toc == ((2, "muc-dich", "Mục đích", ()),)
    assert rendered.lead == "Đoạn đầu của kế hoạch."
    assert rendered.blocks == ("Mục đích", "Đoạn đầu của kế hoạch.", "Lưu ý", "Nội dung.", "Cột", "Số", "Chi",
                               "1.200", "mã")
    assert "<pre><code>mã\n</code></pre>" in rendered.html and rendered.removed == ()
    assert summary(rendered.lead, None, 10) == "Đoạn đầu…"
    assert summary(rendered.lead, "Mô tả riêng.") == "Mô tả riêng."


_PIECES = ["<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<b>", "</b>", "<td>", "</td>", "<svg>", "</svg>",
           "<script>", "</script>", "<br>", "<a href='javascript:x'>", "<a href='#x'>", "</a>", "<blockquote>",
           "<pre>", "</pre>", "text ", "Việt ", "&amp;", "&para;", "\n", "\n\n", "- ", "> ", "## ", "**", "`",
           "<div>", "</div>", "<img src=x onerror=y>", "<span style='color:red'>", "</span>", "<!-- c -->",
           "<iframe>", "<object>", "{: onclick=x }", "[l](data:text/html,x)", "!!! note\n    ", "<math>", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map("".join))
def test_a_body_the_sanitiser_leaves_unchanged_has_nothing_removed_and_any_other_says_what(body: str) -> None:
    """render_body looks for what the sanitiser removed only when cleaning changed the HTML (issue 23:
    most bodies are unchanged, and the search cost a second parse of each): no removal goes unreported."""
    raw, _, notes = markup._convert(body)
    rendered = render_body(body)
    assert set(removed_parts(raw)) <= set(rendered.removed)
    if clean(raw) == raw:
        assert removed_parts(raw) == [] and set(rendered.removed) == set(notes)
