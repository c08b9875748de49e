"""The limits: one module, defaults documented, the file size cap read from mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, Site

from congkhai.model import limits
from congkhai.model.limits import DEFAULT, LimitConfigError, read_limits


def test_defaults_are_those_the_authoring_guide_documents() -> None:
    guide = (REPO / "docs/huong-dan-soan-thao.md").read_text(encoding="utf-8")
    assert DEFAULT.max_file_mb == 50 and limits.MAX_DOCUMENT_BYTES == 1024 * 1024
    for documented in ("50 MB", "1 MB", "256 KB", f"{limits.MAX_TABLE_ROWS} dòng", f"{limits.MAX_NESTING} cấp",
                       f"{limits.MAX_YAML_DEPTH} cấp", f"{limits.MAX_RENDER_SECONDS:g} giây", "200 MB"):
        assert documented in guide, documented


def test_the_file_cap_comes_from_mkdocs_yml(site: Site) -> None:
    assert read_limits(site.root / "khong-co.yml") == DEFAULT
    config = site.config(drop=("extra",), add="extra:\n  congkhai:\n    max_file_mb: 5\n")
    assert read_limits(config).max_file_bytes == 5 * 1024 * 1024
    assert read_limits(REPO / "mkdocs.yml") == DEFAULT


@pytest.mark.parametrize("value", ["0", "2049", "true", "lớn", "1.5"])
def test_a_cap_that_cannot_be_used_is_refused(site: Site, value: str) -> None:
    config = site.config(drop=("extra",), add=f"extra:\n  congkhai:\n    max_file_mb: {value}\n")
    with pytest.raises(LimitConfigError) as error:
        read_limits(config)
    assert str(error.value).startswith("giới hạn cỡ tệp phải là số nguyên từ 1 đến 2048 (MB), nhận được '")


def test_a_broken_configuration_is_left_to_the_build_to_report(tmp_path: Path) -> None:
    broken = tmp_path / "mkdocs.yml"
    broken.write_text("site_name: [\n", encoding="utf-8")
    assert read_limits(broken) == DEFAULT
