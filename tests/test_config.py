"""Settings: mkdocs.yml's portal keys read once into one typed, immutable object; every mistake named
with its line, key, value and the allowed values, in Vietnamese; misspelt keys caught."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, Site

from congkhai import config


def test_the_shipped_configuration_reads_into_typed_settings() -> None:
    settings = config.load(REPO / "mkdocs.yml", today=date(2026, 11, 22))
    assert settings.site_name == "Cổng công khai giáo dục tỉnh Hồng Lam"
    assert settings.site_url == "https://congkhai.honglam.example.vn/"
    assert settings.portal.feed_limit == 50 and isinstance(settings.portal.feed_limit, int)
    assert settings.portal.compliance_from == date(2025, 1, 1) == settings.compliance_start
    assert settings.theme_dir == REPO / "site_src" / "overrides"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.site_name = "khác"  # type: ignore[misc]
    with pytest.raises(Exception):
        settings.portal.feed_limit = 3  # type: ignore[misc]
    # the command line's address wins over the file's; the file's stays known for a unit's own site
    own = config.load(REPO / "mkdocs.yml", site_url="https://truong.example.edu.vn/")
    assert own.site_url == "https://truong.example.edu.vn/" and own.portal_site_url == settings.site_url


def _errors(site: Site, extra: str) -> list[str]:
    path = site.config(drop=("extra",), add="extra:\n  congkhai:\n" + extra)
    settings = config.load(path)
    assert settings.portal == config.PortalSettings(sample_notice="Dữ liệu mẫu")  # defaults stand in
    return [p.render() for p in settings.problems]


def test_every_mistake_is_named_with_line_key_value_and_fix(site: Site) -> None:
    lines = _errors(site, "    feed_limit: năm mươi\n    compliance_from: 01/01/2025\n    feed_limt: 20\n"
                          "    sample_notice: Dữ liệu mẫu\n")
    assert len(lines) == 3
    feed, start, typo = (
        next(x for x in lines if "'extra.congkhai.feed_limit'" in x),
        next(x for x in lines if "compliance_from" in x),
        next(x for x in lines if "feed_limt" in x))
    assert feed.startswith("Lỗi: ") and "mkdocs.yml, dòng " in feed and "số mục tối đa trong mỗi kênh RSS: cần một số nguyên" in feed
    assert "nhận được 'năm mươi'" in feed and "từ 1 đến 1000" in feed and "mặc định (50)" in feed
    assert "cần ngày dạng YYYY-MM-DD" in start and "nhận được '01/01/2025'" in start
    assert "tên cấu hình không có, nhận được 'feed_limt'. Sửa: có phải là 'feed_limit'?" in typo


def test_a_wrong_setting_is_reported_with_every_content_mistake_in_one_run(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "ke-hoach", "kh", "title: Kế hoạch\ndate: 2025-13-01\n")
    path = site.config(drop=("extra",), add="extra:\n  congkhai:\n    feed_limit: nhiều\n")
    assert site.run("build", config=path) == 1
    out = capsys.readouterr().out
    assert "'extra.congkhai.feed_limit'" in out and "content/thcs-a/ke-hoach/kh.md, dòng 3: 'date'" in out
    assert "Có 2 lỗi và 0 cảnh báo." in out


def test_a_missing_or_broken_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(config.SettingsError) as missing:
        config.load(tmp_path / "mkdocs.yml")
    assert "không đọc được tệp cấu hình" in missing.value.problems[0].message
    broken = tmp_path / "broken.yml"
    broken.write_text("site_name: [\n", encoding="utf-8")
    with pytest.raises(config.SettingsError) as error:
        config.load(broken)
    assert error.value.problems[0].message.startswith("cấu hình không đọc được: ")


def test_the_default_cache_lives_beside_the_configuration(tmp_path: Path) -> None:
    assert config.default_cache_dir(REPO / "mkdocs.yml") == REPO / ".congkhai-cache"
