"""Reading input: YAML composed safely (no Python objects, no aliases, bounded depth, count and size),
files read only when they are regular and within their size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from congkhai.model import limits
from congkhai.model.problems import Problems
from congkhai.model.sources import YamlInputError, parse_yaml, read_text


def refusal(text: str) -> tuple[int | None, str]:
    with pytest.raises(YamlInputError) as error:
        parse_yaml(text)
    return error.value.line, error.value.message


def test_python_tags_build_no_object_and_run_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = parse_yaml('a: !!python/object/apply:os.system ["touch da-chay"]\nb: !!python/name:os.system\n'
                      "c: !!binary YQ==\nd: !!int 012\n").data
    assert data == {"a": ["touch da-chay"], "b": None, "c": "YQ==", "d": "012"}  # tags ignored: plain strings
    assert not (tmp_path / "da-chay").exists()


def test_anchors_and_aliases_are_refused_before_anything_expands() -> None:
    laughs = "a: &a [lol, lol, lol]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    assert refusal(laughs) == (1, "không dùng neo và tham chiếu YAML ('&' và '*'); hãy viết đầy đủ giá trị")
    assert refusal("a: 1\nb: *a\n")[0] == 2


def test_depth_count_and_size_are_bounded() -> None:
    assert refusal("a: " + "[" * 5000 + "]" * 5000) == (
        1, f"các danh sách và nhóm trường lồng nhau quá {limits.MAX_YAML_DEPTH} cấp")
    assert parse_yaml("a: " + "[" * 40 + "]" * 40).data is not None
    assert refusal("a: [" + ", ".join(["x"] * (limits.MAX_YAML_NODES + 1)) + "]") == (
        1, f"có quá nhiều giá trị (hơn {limits.MAX_YAML_NODES}); hãy chia nhỏ tệp")
    assert refusal("a: " + "x" * (limits.MAX_YAML_BYTES + 1)) == (None, "phần YAML quá lớn (hơn 256 KB)")


def test_read_text_refuses_pipes_and_large_files_without_reading_them_whole(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ong.md")
    big = tmp_path / "lon.md"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    problems = Problems()
    assert read_text(tmp_path / "ong.md", problems, 1024, "Sửa: …") is None
    assert read_text(big, problems, 1024 * 1024, "Sửa: chia nhỏ.") is None
    assert [p.message for p in problems.items] == [
        "đây không phải một tệp thông thường (thiết bị, đường ống hay thư mục). Sửa: xóa nó và tạo một tệp văn bản thật.",
        "tệp quá lớn (3 MB, tối đa 1 MB). Sửa: chia nhỏ.",
    ]
