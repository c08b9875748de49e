"""Plans (kế hoạch): the core fields only; the plan itself is the Markdown body."""

from __future__ import annotations

from ..model.kind import Kind

KIND = Kind(
    folder="ke-hoach",
    label="Kế hoạch",
    lower="kế hoạch",
    about="kế hoạch năm học, kế hoạch cải cách hành chính, kế hoạch tuyên truyền…",
    body=("Căn cứ …, [tên đơn vị] xây dựng Kế hoạch … như sau:\n\n## I. MỤC ĐÍCH, YÊU CẦU\n\n"
          "- …\n\n## II. NỘI DUNG\n\n1. …\n\n## III. TỔ CHỨC THỰC HIỆN\n\n"
          "| Nội dung | Người chủ trì | Thời gian |\n|---|---|---|\n| … | … | … |\n"),
)
