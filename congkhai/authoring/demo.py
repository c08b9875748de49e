"""A deterministic synthetic portal for benchmarks (`python build.py demo-corpus`): a Department,
historical district Offices, communes and their schools, with documents of every kind.

The same arguments always write the same bytes. Every unit and document is fictional and says so.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from ..model.text import slugify

SAMPLE_NOTE = "# Dữ liệu tổng hợp để đo hiệu năng: đơn vị và văn bản giả định."
REFORM_DAY = date(2025, 7, 1)
START = date(2023, 1, 9)
END = date(2026, 11, 20)

PLACES = (
    "An Bình", "Bình Minh", "Cẩm Giàng", "Đông Hưng", "Đức Thắng", "Hòa Lạc", "Hồng Phong", "Kim Sơn",
    "Lạc Long", "Minh Đức", "Nam Sơn", "Ngọc Lâm", "Phú Lộc", "Quang Trung", "Sơn Đông", "Tân Tiến",
    "Thanh Xuân", "Thuận Thành", "Tiên Lữ", "Trung Nghĩa", "Văn Lâm", "Vĩnh Phúc", "Xuân Đỉnh", "Yên Lạc",
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE = ("Thị", "Văn", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh", "Hải", "Kim")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến")

SCHOOL_KINDS = ("mn", "th", "thcs", "th", "mn", "thcs", "thpt", "th-thcs", "gdtx")
KIND_NAMES = {
    "mn": ("Trường Mầm non", "MN"), "th": ("Trường Tiểu học", "TH"), "thcs": ("Trường Trung học cơ sở", "THCS"),
    "thpt": ("Trường Trung học phổ thông", "THPT"), "th-thcs": ("Trường Tiểu học và Trung học cơ sở", "TH&THCS"),
    "gdtx": ("Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên", "TTGDNN-GDTX"),
}

SENTENCES = (
    "Nhà trường quán triệt đến toàn thể cán bộ, giáo viên, nhân viên mục đích, yêu cầu của công tác cải cách hành chính.",
    "Tiếp tục rà soát, cắt giảm thành phần hồ sơ, rút ngắn thời gian giải quyết thủ tục hành chính cho người dân.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong quản lý, dạy học và giải quyết hồ sơ của học sinh, phụ huynh.",
    "Công khai đầy đủ, kịp thời các thủ tục hành chính tại bộ phận một cửa và trên trang thông tin điện tử.",
    "Duy trì tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%, không để xảy ra tình trạng hồ sơ trễ hẹn.",
    "Tổ chức tuyên truyền về chuyển đổi số, học bạ số và thanh toán không dùng tiền mặt tới cha mẹ học sinh.",
    "Thực hiện nghiêm quy chế dân chủ ở cơ sở, công khai tài chính theo đúng quy định hiện hành.",
    "Phân công cụ thể nhiệm vụ cho từng tổ chuyên môn, tổ văn phòng, gắn trách nhiệm của người đứng đầu.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về cơ quan quản lý cấp trên theo mẫu quy định.",
    "Tăng cường kiểm tra, giám sát việc thực hiện nhiệm vụ, kịp thời chấn chỉnh những tồn tại, hạn chế.",
    "Khảo sát sự hài lòng của cha mẹ học sinh đối với việc giải quyết thủ tục hành chính của nhà trường.",
    "Sử dụng hiệu quả hệ thống quản lý văn bản và điều hành, thực hiện ký số văn bản điện tử.",
    "Bảo đảm cơ sở vật chất, thiết bị dạy học đáp ứng yêu cầu của chương trình giáo dục phổ thông.",
    "Phối hợp với chính quyền địa phương, Ban đại diện cha mẹ học sinh trong công tác xã hội hóa giáo dục.",
    "Các khoản thu, chi được thực hiện đúng mục đích, có chứng từ hợp lệ và được công khai trước tập thể.",
    "Bồi dưỡng kỹ năng số cho đội ngũ giáo viên, nhân viên; khuyến khích đổi mới phương pháp dạy học.",
)
HEADINGS = ("I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ TRỌNG TÂM", "III. GIẢI PHÁP THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN")
PROCEDURES = (
    ("Chuyển trường đối với học sinh trung học cơ sở", "1.004476", "Giáo dục trung học"),
    ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "2.001914", "Văn bằng, chứng chỉ"),
    ("Chỉnh sửa nội dung văn bằng, chứng chỉ", "2.001912", "Văn bằng, chứng chỉ"),
    ("Xét tuyển sinh vào lớp 6", "1.005095", "Giáo dục trung học"),
    ("Tiếp nhận học sinh Việt Nam về nước học tại trường", "1.005099", "Giáo dục và đào tạo"),
)
AREAS = ("the-che", "thu-tuc-hanh-chinh", "to-chuc-bo-may", "che-do-cong-vu", "tai-chinh-cong", "chinh-quyen-so")


@dataclass(frozen=True)
class DemoUnit:
    """A unit of the synthetic portal."""

    code: str
    kind: str
    name: str
    abbr: str
    office: str | None = None  # the historical district Office (schools under it until 2025-06-30)
    commune: str | None = None  # the commune that supervises it from 2025-07-01
    active_until: date | None = None
    active_from: date | None = None


def write_corpus(out: Path, units: int, docs_per_unit: int, seed: int = 2026) -> tuple[int, int]:
    """Write units/ and content/ of a synthetic portal under `out`; return (units, documents) written.

    The folders are replaced if they exist; the same arguments always give the same files.
    """
    rng = random.Random(f"{seed}-{units}-{docs_per_unit}")
    plan = _units(max(units, 4), rng)
    for folder in ("units", "content"):
        shutil.rmtree(out / folder, ignore_errors=True)
        (out / folder).mkdir(parents=True)
    written = 0
    for unit in plan:
        (out / "units" / f"{unit.code}.yml").write_text(_unit_yaml(unit, rng), encoding="utf-8")
        for index in range(docs_per_unit):
            kind, slug, text = _document(unit, index, rng)
            path = out / "content" / unit.code / kind / f"{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    return len(plan), written


def _units(count: int, rng: random.Random) -> list[DemoUnit]:
    offices = max(1, count // 60)
    communes = max(1, count // 12)
    schools = count - 1 - offices - communes
    plan = [DemoUnit("so-gddt", "so", "Sở Giáo dục và Đào tạo tỉnh Hồng Lam (tổng hợp)", "SGDĐT")]
    for i in range(offices):
        place = PLACES[i % len(PLACES)]
        plan.append(DemoUnit(f"phong-gddt-{i + 1:03d}", "phong", f"Phòng Giáo dục và Đào tạo huyện {place} {i + 1}",
                             "PGDĐT", active_until=date(2025, 6, 30)))
    for i in range(communes):
        place = PLACES[(i * 7) % len(PLACES)]
        plan.append(DemoUnit(f"ubnd-xa-{i + 1:03d}", "xa", f"Ủy ban nhân dân xã {place} {i + 1}", "UBND",
                             active_from=REFORM_DAY))
    for i in range(schools):
        kind = SCHOOL_KINDS[i % len(SCHOOL_KINDS)]
        label, abbr = KIND_NAMES[kind]
        place = PLACES[rng.randrange(len(PLACES))]
        code = f"{kind}-{i + 1:04d}"
        local = kind in ("mn", "th", "thcs", "th-thcs")
        plan.append(DemoUnit(
            code, kind, f"{label} {place} số {i + 1}", f"{abbr}{i + 1}",
            office=f"phong-gddt-{i % offices + 1:03d}" if local else None,
            commune=f"ubnd-xa-{i % communes + 1:03d}" if local else None,
        ))
    return plan


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


class _PlainDumper(yaml.SafeDumper):
    """YAML without anchors and aliases (the portal refuses them): a value used twice is written twice."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump(data: dict[str, object]) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)


def _unit_yaml(unit: DemoUnit, rng: random.Random) -> str:
    data: dict[str, object] = {"code": unit.code, "name": unit.name}
    if unit.kind == "th-thcs":
        data.update(kind="th", levels=["th", "thcs"])
    else:
        data["kind"] = unit.kind
    if unit.kind in ("phong",):
        data["parent"] = "so-gddt"
    elif unit.kind == "xa":  # under the province's People's Committee; the Sở only guides it (sector)
        data["parent"] = [{"name": "Ủy ban nhân dân tỉnh Hồng Lam", "from": REFORM_DAY}]
        data["sector_parent"] = [{"unit": "so-gddt", "from": REFORM_DAY}]
    elif unit.office:
        data["parent"] = [{"unit": unit.office, "until": date(2025, 6, 30)}, {"unit": unit.commune, "from": REFORM_DAY}]
    elif unit.kind != "so":
        data["parent"] = "so-gddt"
    if unit.active_until:
        data["active_until"] = unit.active_until
        data["successor"] = "ubnd-xa-001"
    if unit.active_from:
        data["active_from"] = unit.active_from
    number = rng.randrange(100, 999)
    data.update(
        address=f"Số {rng.randrange(1, 300)} đường {rng.choice(PLACES)}, tỉnh Hồng Lam",
        phone=f"0212 3{number} {rng.randrange(100, 999)}",
        email=f"{unit.code}@honglam.example.vn",
        head={"name": _person(rng), "title": "Hiệu trưởng" if unit.kind not in ("so", "phong", "xa") else "Thủ trưởng"},
    )
    return SAMPLE_NOTE + "\n" + _dump(data)


def _body(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    heading = 0
    while sum(len(p.encode("utf-8")) for p in parts) < size:
        if heading < len(HEADINGS) and len(parts) % 4 == 0:
            parts.append(f"## {HEADINGS[heading]}")
            heading += 1
        elif len(parts) % 11 == 6:
            rows = "\n".join(f"| {i + 1} | {rng.choice(SENTENCES)[:40]} | {rng.randrange(1, 99)} |"
                             for i in range(rng.randrange(3, 9)))
            parts.append("| TT | Nội dung | Số lượng |\n|---|---|---|\n" + rows)
        elif len(parts) % 5 == 3:
            parts.append("\n".join(f"- {rng.choice(SENTENCES)}" for _ in range(rng.randrange(2, 5))))
        else:
            parts.append(" ".join(rng.choice(SENTENCES) for _ in range(rng.randrange(2, 5))))
    return "\n\n".join(parts) + "\n"


def _document(unit: DemoUnit, index: int, rng: random.Random) -> tuple[str, str, str]:
    """Return (kind folder, slug, file text) of the unit's `index`-th document."""
    first = unit.active_from or START
    last = unit.active_until or END
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    school = unit.kind not in ("so", "phong", "xa")
    kinds = ("ke-hoach", "tai-chinh", "tin-tuc", "thong-bao", "ke-hoach", "tai-chinh", "thu-tuc")
    kind = kinds[index % len(kinds)]
    if kind == "thu-tuc" and index >= len(kinds) * len(PROCEDURES):
        kind = "thong-bao"
    signer = {"title": "HIỆU TRƯỞNG" if school else "GIÁM ĐỐC" if unit.kind == "so" else "TRƯỞNG PHÒNG"
              if unit.kind == "phong" else "CHỦ TỊCH", "name": _person(rng)}
    data: dict[str, object] = {}
    size = rng.randrange(1500, 9000)
    body = _body(rng, size)
    if kind == "ke-hoach":
        title = f"Kế hoạch cải cách hành chính năm {day.year} của {unit.name} (số {index + 1})"
        data = {"title": title, "number": f"{index + 1:02d}/KH-{unit.abbr}", "date": day, "signer": signer,
                "recipients": ["Ban giám hiệu", "Các tổ chuyên môn", "Lưu: VT."],
                "tags": ["cải cách hành chính", "kế hoạch năm"],
                "description": f"Kế hoạch cải cách hành chính năm {day.year} của {unit.name}."}
    elif kind == "tai-chinh":
        year = day.year
        total = rng.randrange(2_000_000, 40_000_000)
        salary = total * rng.randrange(60, 85) // 100
        data = {"title": f"Công khai dự toán ngân sách năm {year} của {unit.name} (số {index + 1})",
                "number": f"{index + 1:02d}/QĐ-{unit.abbr}", "date": day, "signer": signer,
                "description": f"{unit.name} công khai dự toán ngân sách nhà nước năm {year} được giao.",
                "report": "du-toan", "fiscal_year": str(year), "period": str(year), "money_unit": "nghin-dong",
                "columns": [f"Dự toán năm {year}"],
                "table": [{"code": "I", "name": "Chi ngân sách nhà nước", "amounts": [total], "lines": [
                    {"code": "1", "name": "Tiền lương, phụ cấp và các khoản đóng góp", "amounts": [salary]},
                    {"code": "2", "name": "Chi hoạt động chuyên môn, quản lý", "amounts": [total - salary]},
                ]}]}
        body = f"{unit.name} công khai dự toán ngân sách năm {year} như bảng dưới đây.\n\n" + body
    elif kind == "tin-tuc":
        data = {"title": f"{unit.name} đẩy mạnh chuyển đổi số trong giải quyết hồ sơ (tin số {index + 1})",
                "date": day, "description": "Tin về kết quả cải cách hành chính và chuyển đổi số của đơn vị.",
                "areas": [AREAS[index % len(AREAS)]], "tags": ["chuyển đổi số"]}
    elif kind == "thong-bao":
        data = {"title": f"Thông báo lịch tiếp công dân, tiếp phụ huynh của {unit.name} (số {index + 1})",
                "number": f"{index + 1:02d}/TB-{unit.abbr}", "date": day, "signer": signer,
                "description": "Lịch tiếp công dân và tiếp phụ huynh học sinh định kỳ.",
                "valid_until": day + timedelta(days=180)}
    else:
        name, code, field = PROCEDURES[(index // len(kinds)) % len(PROCEDURES)]
        data = {"title": name, "date": day, "code": code, "field": field, "online_level": "mot-phan",
                "description": f"Thủ tục {name.lower()} do {unit.name} giải quyết.",
                "steps": ["Người đề nghị nộp hồ sơ tại bộ phận một cửa hoặc trực tuyến.",
                          "Đơn vị kiểm tra hồ sơ, giải quyết và trả kết quả."],
                "channels": ["Trực tiếp tại văn phòng", "Trực tuyến trên Cổng dịch vụ công"],
                "documents": ["Đơn đề nghị theo mẫu", "Giấy tờ tùy thân (bản sao)"], "sets": 1,
                "time_limit": "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
                "applicants": "Học sinh, cha mẹ học sinh, người học", "authority": unit.name, "fees": "Không",
                "legal_basis": ["Thông tư số 50/2021/TT-BGDĐT ngày 31/12/2021 của Bộ trưởng Bộ Giáo dục và Đào tạo"]}
    if rng.random() < 0.7:  # most real postings have no one-line description: feeds and search use the body
        data.pop("description", None)
    slug = slugify(f"{kind}-{day.year}-{index + 1:03d}")
    return kind, slug, "---\n" + SAMPLE_NOTE + "\n" + _dump(data) + "---\n\n" + body
