"""The build pipeline: load units -> load documents -> validate -> plan -> write (atomically)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from . import feeds, ical, limits, links, output, search, urls
from .pages import Planner, SitePlan, SiteSettings
from .portal import Portal, load_portal
from .compliance import Compliance, check_declarations, evaluate
from .obligations import Rules, load_rules
from .problems import Problems
from .register import write_register
from .sanitize import Cleaner
from .sitemaps import write_sitemaps
from .render import RenderError, SiteConfig, read_config, render

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NO_SITE_URL = (
    "Cảnh báo: chưa có địa chỉ công khai của cổng (site_url trong mkdocs.yml hoặc --site-url), nên không "
    "tạo RSS và danh sách OPML (chúng cần địa chỉ tuyệt đối). Sửa: ghi 'site_url: https://…' vào mkdocs.yml."
)


def today_in_vietnam() -> date:
    """Return today's date in Asia/Ho_Chi_Minh (the default for --on)."""
    return datetime.now(VN_TZ).date()


@dataclass(frozen=True)
class Options:
    """What one build or check is asked to do."""

    content: Path = Path("content")
    units: Path = Path("units")
    out: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    today: date = field(default_factory=today_in_vietnam)
    strict: bool = False
    site_url: str | None = None
    search: bool = True


@dataclass
class Result:
    """What a build or check found and did."""

    problems: Problems
    portal: Portal | None = None
    rules: Rules | None = None
    compliance: Compliance | None = None
    pages: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    failure: str | None = None

    def ok(self, strict: bool) -> bool:
        """Return True when nothing stops the build."""
        return self.failure is None and not self.problems.has_errors(strict)


def validate(options: Options) -> Result:
    """Return the loaded portal, its obligations and compliance, and every problem found in the
    inputs (nothing is written)."""
    problems = Problems()
    portal = load_portal(options.content, options.units, options.today, problems,
                         limits.configured(options.config, problems))
    rules = load_rules(portal.units.values(), problems)
    every = [*portal.documents, *portal.drafts, *portal.scheduled]
    check_declarations(every, portal.units, rules, problems)
    start = compliance_start(options)
    compliance = evaluate(portal.units, portal.documents, rules, options.today, start)
    return Result(problems, portal, rules, compliance)


def compliance_start(options: Options) -> date:
    """Return the first day the portal judges (`compliance_from` in mkdocs.yml, else 1 January two
    years before "today")."""
    value = None
    if options.config.exists():
        try:
            value = (read_config(options.config).extra.get("congkhai") or {}).get("compliance_from")
        except RenderError:
            value = None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return date(options.today.year - 2, 1, 1)


def build(options: Options, log: Callable[[str], None] = lambda _: None) -> Result:
    """Validate, plan and write the site; the output folder is replaced only when all succeeded."""
    started = time.monotonic()
    result = validate(options)
    if not result.ok(options.strict) or result.portal is None:
        return result
    try:
        output.check_target(options.out, [options.content, options.units, options.config.parent / "site_src"])
        config = read_config(options.config, options.site_url)
    except (output.OutputError, RenderError) as exc:
        result.failure = str(exc)
        return result
    portal = result.portal
    search_plan = search.plan_search(portal)
    plan = Planner(portal, settings_of(config), result.rules, result.compliance, compliance_start(options),
                   search_plan if options.search else None).plan()
    staged = output.staging_dir(options.out)
    try:
        log(f"Đang dựng {len(plan.page_urls())} trang…")
        cleaner = Cleaner()
        warnings = render(plan, options.config, staged, options.today, site_url=options.site_url, clean_html=cleaner,
                          search_page=urls.SEARCH if options.search else None)
        result.notes += warnings
        for source, parts in sorted(cleaner.removed.items()):
            result.problems.warning(
                Path(source), None, None,
                "nội dung có mã HTML không an toàn, đã bị loại bỏ khi đăng: " + ", ".join(parts)
                + ". Sửa: xóa các phần này khỏi tệp (cổng không cho phép script, khung nhúng, biểu mẫu, kiểu CSS "
                "hay thuộc tính sự kiện; bảng, ảnh có mô tả và chữ định dạng vẫn dùng được).",
            )
        write_redirects(plan, staged)
        write_register(portal, staged, config.site_url)
        if options.search:
            search.write_search(search_plan, staged)
        if config.site_url:
            settings = settings_of(config)
            limit = int((config.extra.get("congkhai") or {}).get("feed_limit") or feeds.DEFAULT_LIMIT)
            sources = feeds.plan_feeds(portal, settings.site_name, result.rules, result.compliance)
            feeds.write_feeds(sources, staged, config.site_url, options.today, limit)
            feeds.write_opml(portal, settings.site_name, staged, config.site_url, result.rules)
            folders = [source.url.rsplit("/", 1)[0] + "/" if "/" in source.url else "" for source in sources]
            write_sitemaps(plan.page_urls(), folders, staged, config.site_url)
        else:
            result.notes.append(NO_SITE_URL)
        ical.write_calendars(portal, result.compliance, staged, config.site_url, options.today)
        broken = links.check_site(staged, config.site_url)
        links.report(broken, plan, options.out, result.problems)
        if options.strict and (warnings or cleaner.removed or broken):
            result.failure = "Có cảnh báo khi dựng trang (chế độ --strict)."
            output.discard(staged)
            return result
        output.publish(staged, options.out)
    except BaseException as exc:
        output.discard(staged)
        if isinstance(exc, RenderError):
            result.failure = str(exc)
            return result
        raise
    result.pages = len(plan.page_urls())
    result.seconds = time.monotonic() - started
    if portal.scheduled:
        result.notes.append(
            f"{len(portal.scheduled)} văn bản có ngày đăng sau {options.today.isoformat()} chưa được hiển thị (hẹn ngày đăng)."
        )
    return result


def settings_of(config: SiteConfig) -> SiteSettings:
    """Return the planner's settings from the site configuration."""
    own = config.extra.get("congkhai") or {}
    return SiteSettings(
        site_name=config.site_name,
        site_url=config.site_url,
        sample_notice=own.get("sample_notice"),
        feeds=bool(config.site_url),
    )


def write_redirects(plan: SitePlan, root: Path) -> None:
    """Write a small page at each old address that sends readers to the document's new address."""
    from html import escape

    from .urls import relative

    for redirect in plan.redirects:
        target = relative(redirect.url, redirect.target)
        path = root / redirect.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
            f"<title>Văn bản đã chuyển địa chỉ</title><meta http-equiv=\"refresh\" content=\"0; url={escape(target)}\">"
            f"<link rel=\"canonical\" href=\"{escape(target)}\"></head>"
            f"<body><p>Văn bản đã chuyển sang <a href=\"{escape(target)}\">địa chỉ mới</a>.</p></body></html>\n",
            encoding="utf-8",
        )
