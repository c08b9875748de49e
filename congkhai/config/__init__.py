"""Settings: `mkdocs.yml` (the portal's own keys under `extra.congkhai`, the site's name and address,
the theme overrides) and the command line, read once at the top into one immutable `Settings`.

Everything below receives the settings (or the values it needs from them); nothing below reads a file
of configuration. The portal's keys are validated with pydantic (a declared schema, as MkDocs'
`config_options` do for MkDocs' own keys — MkDocs itself stays behind the engine edge,
site/engine.py): a wrong type, a value out of range or a misspelt key is an error naming the file,
line, key, value and the allowed values, in Vietnamese.

May import: the model (problems, limits, YAML reading, text). Nothing else of the package.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from ..model.limits import MB, Limits
from ..model.problems import Problem, describe, display_path
from ..model.sources import YamlInputError, parse_yaml
from ..model.text import VN_TZ

CONFIG_FILE = Path("mkdocs.yml")
# The build cache lives beside mkdocs.yml (the portal's root), whatever folder the command runs in.
CACHE_FOLDER = ".congkhai-cache"


def today_in_vietnam() -> date:
    """Return today's date in Asia/Ho_Chi_Minh (the default for --on)."""
    return datetime.now(VN_TZ).date()


class EditorSettings(BaseModel):
    """The web editor's Git forge (`extra.congkhai.editor`): where staff's changes are saved, and how
    they sign in. Only public names: the sign-in keeps every secret on the forge's side."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["github", "gitlab", "gitea", "forgejo"] | None = Field(
        None, description="kho Git mà trang soạn thảo lưu vào")
    repo: str | None = Field(None, pattern=r"^[\w.-]+(/[\w.-]+)+$", description="kho chứa cổng, dạng chủ-sở-hữu/tên-kho")
    branch: str = Field("main", pattern=r"^[\w./-]+$", description="nhánh của cổng")
    base_url: str | None = Field(None, pattern=r"^https://", description="địa chỉ đăng nhập (máy chủ Git hoặc máy chủ OAuth)")
    api_root: str | None = Field(None, pattern=r"^https://", description="địa chỉ API của máy chủ Git")
    app_id: str | None = Field(None, description="mã ứng dụng OAuth (client id, công khai)")
    auth_type: Literal["pkce", "implicit"] | None = Field(None, description="cách đăng nhập")
    auth_endpoint: str | None = Field(None, description="đường dẫn đăng nhập trên base_url")
    workflow: bool = Field(True, description="duyệt trước khi đăng (bản nháp → chờ duyệt → sẵn sàng → đăng)")


class PortalSettings(BaseModel):
    """The portal's own settings: `extra.congkhai` in mkdocs.yml. Each key, its type and its range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sample_notice: str | None = Field(None, description="dòng nhắc ở trang chủ khi cổng chứa dữ liệu mẫu")
    feed_limit: int = Field(50, ge=1, le=1000, description="số mục tối đa trong mỗi kênh RSS")
    compliance_from: date | None = Field(None, description="ngày đầu tiên cổng đánh giá tình hình công khai")
    max_file_mb: int = Field(50, ge=1, le=2048, description="cỡ tối đa của một tệp đính kèm (MB)")
    obligations_on: list[str] = Field(default_factory=list, description=(
        "mã các nghĩa vụ mặc định tắt (căn cứ chưa xác minh) mà cổng vẫn đánh giá, ví dụ donations, commune-budget"))
    obligations_off: list[str] = Field(default_factory=list, description="mã các nghĩa vụ cổng không đánh giá")
    before_date_inclusive: bool = Field(False, description=(
        "đọc 'trước ngày 30 tháng 6' là được đăng cả ngày 30/6 (mặc định: hạn cuối là ngày 29/6)"))
    days_off: list[date] = Field(default_factory=list, description=(
        "ngày nghỉ thêm ngoài lịch nghỉ lễ, Tết chính thức (ví dụ ngày nghỉ bù mới công bố)"))
    working_days: list[date] = Field(default_factory=list, description=(
        "ngày làm việc dù lịch chính thức ghi là ngày nghỉ (ví dụ ngày làm bù, hoặc một ngày lễ cổng không áp dụng)"))
    editor: EditorSettings = Field(default_factory=EditorSettings, description="kho Git của trang soạn thảo /quan-tri/")


PORTAL_KEYS = tuple(PortalSettings.model_fields)


@dataclass(frozen=True)
class Settings:
    """What one command is asked to do, and how the portal is configured. Made by `load`, never changed."""

    config_file: Path = CONFIG_FILE
    site_name: str = ""
    site_url: str | None = None  # --site-url, else site_url of mkdocs.yml
    theme_dir: Path | None = None  # theme.custom_dir, resolved
    portal: PortalSettings = field(default_factory=PortalSettings)
    config_digest: str = ""  # SHA-256 of mkdocs.yml's bytes (part of every page's cache key)
    content: Path = Path("content")
    units: Path = Path("units")
    out: Path = Path("site")
    today: date = field(default_factory=today_in_vietnam)
    strict: bool = False
    search: bool = True
    jobs: int = 1
    cache_dir: Path | None = None  # None: keep nothing between builds
    progress: bool = False
    unit: str | None = None  # build this unit's own site (needs site_url: its own address)
    with_subordinates: bool = False
    portal_site_url: str | None = None  # site_url of mkdocs.yml (a unit's own site links back to it)
    portal_site_name: str = ""
    problems: tuple[Problem, ...] = ()  # values of mkdocs.yml that could not be used (defaults stand in)

    @property
    def limits(self) -> Limits:
        """Return the resource limits of this portal (max_file_mb from the configuration)."""
        return Limits(max_file_bytes=self.portal.max_file_mb * MB)

    @property
    def compliance_start(self) -> date:
        """Return the first day the portal judges (`compliance_from`, else 1 January two years before today)."""
        return self.portal.compliance_from or date(self.today.year - 2, 1, 1)

    @property
    def feed_limit(self) -> int:
        return self.portal.feed_limit

    def with_options(self, **changes: Any) -> Settings:
        """Return these settings with command-line options changed (the configuration stays as read)."""
        return replace(self, **changes)


class SettingsError(Exception):
    """The configuration cannot be read at all; `problems` says why (file, line, fix)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.render() for p in problems))
        self.problems = problems


def default_cache_dir(config_file: Path) -> Path:
    """Return the documented default cache folder: `.congkhai-cache` beside mkdocs.yml."""
    return config_file.resolve().parent / CACHE_FOLDER


def load(config_file: Path = CONFIG_FILE, *, site_url: str | None = None, **options: Any) -> Settings:
    """Return the settings of `config_file` with the command-line `options` (Settings' fields). A value
    that cannot be used is listed in `problems` (with the default in its place), so that the build
    reports it together with every mistake of the content; raises SettingsError when the file cannot
    be read at all."""
    where = display_path(config_file)
    try:
        raw = config_file.read_bytes()
    except OSError as exc:
        raise SettingsError([Problem(where, None, None, describe(
            "không đọc được tệp cấu hình", exc.strerror or str(exc),
            "Sửa: chạy lệnh trong thư mục của cổng (nơi có mkdocs.yml) hoặc chỉ rõ tệp bằng --config."))]) from None
    try:
        parsed = parse_yaml(raw.decode("utf-8-sig"))
    except (YamlInputError, UnicodeDecodeError) as exc:
        message = exc.message if isinstance(exc, YamlInputError) else "tệp không phải văn bản UTF-8"
        line = exc.line if isinstance(exc, YamlInputError) else None
        raise SettingsError([Problem(where, line, None, f"cấu hình không đọc được: {message}.")]) from None
    data = parsed.data if isinstance(parsed.data, dict) else {}
    problems: list[Problem] = []
    site_name = data.get("site_name")
    if not isinstance(site_name, str) or not site_name.strip():
        problems.append(Problem(where, parsed.line("site_name"), "site_name", describe(
            "thiếu tên cổng", site_name, "Sửa: ghi 'site_name: Cổng công khai …' vào mkdocs.yml.")))
        site_name = ""
    own_url = data.get("site_url") if isinstance(data.get("site_url"), str) else None
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    custom = theme.get("custom_dir") if isinstance(theme.get("custom_dir"), str) else None
    theme_dir = (config_file.resolve().parent / custom).resolve() if custom else None
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    portal = _portal_settings(extra.get("congkhai"), parsed, where, problems)
    return Settings(problems=tuple(problems),
        config_file=config_file, site_name=site_name.strip(), site_url=site_url or own_url or None,
        theme_dir=theme_dir, portal=portal, config_digest=hashlib.sha256(raw).hexdigest(),
        portal_site_url=own_url or None, portal_site_name=site_name.strip(), **options,
    )


# What pydantic says of a value, as a school's IT officer reads it.
_ERRORS = {
    "int_parsing": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "greater_than_equal": "cần một số từ {ge} trở lên",
    "less_than_equal": "cần một số không quá {le}",
    "date_from_datetime_parsing": "cần ngày dạng YYYY-MM-DD",
    "date_parsing": "cần ngày dạng YYYY-MM-DD",
    "date_type": "cần ngày dạng YYYY-MM-DD",
    "string_type": "cần một dòng chữ",
    "list_type": "cần một danh sách, mỗi mục một dòng bắt đầu bằng '- '",
    "string_pattern_mismatch": "không đúng dạng",
    "literal_error": "không phải giá trị được dùng",
    "bool_parsing": "cần true hoặc false",
    "bool_type": "cần true hoặc false",
    "model_type": "phải là các dòng 'tên: giá trị' thụt lề bên dưới",
}


def _portal_settings(value: Any, parsed: Any, where: str, problems: list[Problem]) -> PortalSettings:
    """Return extra.congkhai validated; every mistake is added to `problems` (the defaults stand in)."""
    if value is None:
        return PortalSettings()
    if not isinstance(value, dict):
        problems.append(Problem(where, parsed.line("extra", "congkhai"), "extra.congkhai", describe(
            "mục cấu hình của cổng phải là các dòng 'tên: giá trị'", value,
            "Sửa: ví dụ 'feed_limit: 50' thụt lề dưới 'congkhai:'.")))
        return PortalSettings()
    try:
        return PortalSettings.model_validate(value)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            problems.append(_setting_problem(error, parsed, where))
        wrong = {e["loc"][0] for e in exc.errors() if e["loc"]}
        kept = {k: v for k, v in value.items() if k in PORTAL_KEYS and k not in wrong}
        return PortalSettings.model_validate(kept)


def _setting_problem(error: Any, parsed: Any, where: str) -> Problem:
    """Return the problem pydantic's `error` describes (a key of extra.congkhai, or of a group in it)."""
    loc = tuple(str(part) for part in error["loc"]) or ("",)
    model: type[BaseModel] = PortalSettings
    for part in loc[:-1]:  # a group such as `editor`
        inner = model.model_fields[part].annotation if part in model.model_fields else None
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    key = loc[-1]
    line = parsed.line("extra", "congkhai", *loc)
    label = "extra.congkhai." + ".".join(loc)
    names = tuple(model.model_fields)
    if error["type"] == "extra_forbidden" or key not in model.model_fields:
        guess = difflib.get_close_matches(key, names, n=1)
        fix = (f"Sửa: có phải là '{guess[0]}'? " if guess else "Sửa: xóa dòng này. ") + \
            "Các tên được dùng: " + ", ".join(names) + "."
        return Problem(where, line, label, describe("tên cấu hình không có", key, fix))
    spec = model.model_fields[key]
    what = _ERRORS.get(error["type"], "giá trị không dùng được").format(**(error.get("ctx") or {}))
    return Problem(where, line, label, describe(
        f"{spec.description}: {what}", error.get("input"),
        f"Sửa: {_allowed(spec)}; bỏ dòng này thì dùng mặc định ({_default(spec)})."))


def _allowed(spec: Any) -> str:
    bounds = {type(m).__name__: m for m in spec.metadata}
    if "Ge" in bounds and "Le" in bounds:
        return f"ghi một số nguyên từ {bounds['Ge'].ge} đến {bounds['Le'].le}"
    if spec.annotation in (date, date | None):
        return "ghi ngày dạng YYYY-MM-DD, ví dụ 2025-01-01 (đặt trong ngoặc kép cũng được)"
    choices = getattr(spec.annotation, "__args__", ())
    literal = [c for arg in choices for c in getattr(arg, "__args__", ()) if isinstance(c, str)]
    if literal:
        return "ghi một trong: " + ", ".join(literal)
    if spec.annotation is bool:
        return "ghi true hoặc false"
    if spec.annotation == list[date]:
        return "ghi danh sách ngày dạng YYYY-MM-DD, mỗi ngày một dòng '- 2026-11-24'"
    if spec.annotation == list[str]:
        return "ghi danh sách mã, mỗi mã một dòng '- donations'"
    return "ghi một dòng chữ"


def _default(spec: Any) -> str:
    default = spec.get_default(call_default_factory=True)
    if isinstance(default, bool):
        return "true" if default else "false"
    return "không có" if default in (None, []) else str(default)
