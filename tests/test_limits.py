"""The limits: one module, defaults documented, the file size cap read from mkdocs.yml (by config.load)."""

from __future__ import annotations

import pytest
from conftest import REPO, Site

from congkhai import config
from congkhai.model import limits
from congkhai.model.limits import DEFAULT


def test_defaults_are_those_the_authoring_guide_documents() -> None:
    guide = (REPO / "docs/huong-dan-soan-thao.md").read_text(encoding="utf-8")
    assert DEFAULT.max_file_mb == 50 and limits.MAX_DOCUMENT_BYTES == 1024 * 1024
    for documented in ("50 MB", "1 MB", "256 KB", f"{limits.MAX_TABLE_ROWS} dòng", f"{limits.MAX_NESTING} cấp",
                       f"{limits.MAX_YAML_DEPTH} cấp", f"{limits.MAX_RENDER_SECONDS:g} giây", "200 MB"):
        assert documented in guide, documented


def test_the_file_cap_comes_from_mkdocs_yml(site: Site) -> None:
    assert config.load(site.config(drop=("extra",))).limits == DEFAULT
    cap = site.config(drop=("extra",), add="extra:\n  congkhai:\n    max_file_mb: 5\n")
    assert config.load(cap).limits.max_file_bytes == 5 * 1024 * 1024
    assert config.load(REPO / "mkdocs.yml").limits == DEFAULT


@pytest.mark.parametrize("value", ["0", "2049", "true", "lớn", "1.5"])
def test_a_cap_that_cannot_be_used_is_refused(site: Site, value: str) -> None:
    path = site.config(drop=("extra",), add=f"extra:\n  congkhai:\n    max_file_mb: {value}\n")
    settings = config.load(path)
    assert settings.limits == DEFAULT  # the default stands in, and the build reports the value
    (problem,) = settings.problems
    assert problem.field == "extra.congkhai.max_file_mb" and problem.line is not None
    assert problem.message.startswith("cỡ tối đa của một tệp đính kèm (MB): ")
    assert f"nhận được '{value}'" in problem.message and "từ 1 đến 2048" in problem.message
