"""Markdown bodies within the limits: nesting counted per line, a render that recurses too deep or
takes too long reported instead of hanging or crashing the build."""

from __future__ import annotations

import sys

from congkhai.model import markup
from congkhai.model.markup import TRIAL_RENDER_FROM, body_problems, nesting

NESTED = "Mở đầu.\n\n" + "".join("    " * i + f"- Cấp {i + 1}\n" for i in range(25))


def test_nesting_counts_indentation_quotation_marks_and_list_markers() -> None:
    assert [nesting(line) for line in ["Chữ thường", "- mục", "    - mục con", "> - > - x", "\t\t1. x",
                                      "    mã lệnh thụt lề", ">>>> x", "-x", "12345678901. x"]] == [0, 1, 2, 4, 3, 0, 4, 0, 0]


def test_a_list_nested_past_the_limit_is_reported_on_its_line() -> None:
    assert body_problems(NESTED, 10) == [(
        32, "danh sách hoặc trích dẫn lồng nhau 21 cấp, tối đa 20 cấp. Sửa: bớt cấp lồng (mỗi cấp là 4 dấu cách "
            "thụt lề, một dấu '>' hay một dấu '-' đầu dòng).",
    )]
    assert body_problems("".join("    " * i + "- x\n" for i in range(20)), 1) == []


def test_a_body_that_renders_too_slowly_is_stopped_and_reported(monkeypatch) -> None:
    monkeypatch.setattr(markup, "MAX_RENDER_SECONDS", 0.3)
    # Python-Markdown looks for the closing ']' of every '[' to the end of the paragraph: quadratic
    assert body_problems("[" * 20_000, 1) == [(None, (
        "nội dung quá phức tạp: dựng trang mất hơn 0.3 giây. Sửa: kiểm tra các dấu '[', '(' hay '<' không được "
        "đóng; nội dung rất dài thì đăng thành tệp PDF đính kèm."))]
    assert body_problems("[liên kết](a.md) " * 2000, 1) == []


def test_a_body_that_recurses_too_deep_is_reported_not_raised() -> None:
    import inspect

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)  # a small stack: the RecursionError a huge document gives
    try:
        # enough markup characters for the trial render to run (smaller bodies are not rendered in check)
        padding = "\n" + "a & b " * TRIAL_RENDER_FROM + "\n"
        found = body_problems("".join("    " * i + "- x\n" for i in range(19)) + padding, 1)
    finally:
        sys.setrecursionlimit(limit)
    assert found == [(None, "nội dung lồng nhau quá sâu, không dựng được trang. Sửa: bớt các cấp danh sách, trích "
                            "dẫn hay thẻ HTML lồng trong nhau.")]
