"""The web editor on one machine (`python build.py serve --edit`): Decap CMS at /quan-tri/ of the live
preview, saving through the real decap-server (npm) into a copy of the sample portal, checked before
saving by the same reader as `check`.

The browser test is the issue's "done when": it creates a notice and a budget disclosure with an
attachment through the forms, finds the files in content/<unit>/…, runs `check` and `build`, and
sees an invalid entry refused. The guide's screenshots come from the same steps:

    python tests/test_editor.py --screenshots docs/anh
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
import time
import urllib.error
import urllib.request
from contextlib import chdir, contextmanager
from datetime import date
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import MINIMAL_PDF, REPO, SAMPLE_ON, Site  # noqa: E402

from congkhai import cli, config  # noqa: E402
from congkhai.authoring import editor, serve  # noqa: E402
from congkhai.build.admin import find_decap  # noqa: E402

UNIT = "thcs-hoa-sen"
NOTICE = f"{UNIT}__thong-bao"
BUDGET = f"{UNIT}__tai-chinh"
NOTICE_TITLE = "Thông báo lịch tiếp công dân tháng 12 năm 2026"
NOTICE_SLUG = "thong-bao-lich-tiep-cong-dan-thang-12-nam-2026"
BUDGET_TITLE = "Công khai dự toán ngân sách năm 2027"
BUDGET_SLUG = "cong-khai-du-toan-ngan-sach-nam-2027"


# --- checking before saving (no browser) ----------------------------------------------------------

@pytest.fixture
def sample(tmp_path: Path) -> Site:
    """A copy of the sample portal (units/, content/) with the project's configuration."""
    site = Site(tmp_path)
    shutil.copytree(REPO / "units", site.units)
    shutil.copytree(REPO / "content", site.content)
    site.config()
    return site


def settings_of(site: Site) -> config.Settings:
    return config.load(site.root / "mkdocs.yml", content=site.content, units=site.units,
                       today=date.fromisoformat(SAMPLE_ON))


def test_a_valid_notice_passes_the_check_before_saving(sample: Site) -> None:
    data = {"title": NOTICE_TITLE, "date": "2026-11-20", "number": "31/TB-THCSHS", "status": "published",
            "recipients": ["Cha mẹ học sinh", "Lưu: VT."], "published": "", "signer": {"name": "", "title": ""},
            "attachments": [{"file": "lich-tiep-dan.pdf", "title": "Bản scan có chữ ký"}], "body": "Nội dung.\n"}
    pending = [{"name": "lich-tiep-dan.pdf", "size": len(MINIMAL_PDF), "whole": True,
                "data": base64.b64encode(MINIMAL_PDF).decode()}]
    found = editor.check_entry(settings_of(sample), {"unit": UNIT, "kind": "thong-bao", "slug": "", "data": data,
                                                     "pending": pending})
    assert found == {"errors": [], "warnings": []}


def test_the_check_before_saving_words_check_s_own_messages(sample: Site) -> None:
    data = {"title": "Thông báo", "date": "2026-11-20", "valid_until": "2026-11-01", "number": "5/TB-THCSHS",
            "attachments": [{"file": "chua-tai-len.pdf"}], "body": ""}
    found = editor.check_entry(settings_of(sample), {"unit": UNIT, "kind": "thong-bao", "data": data})
    assert found["errors"] == [
        "Hiệu lực đến (valid_until): thông báo hết hiệu lực trước ngày ban hành, nhận được '2026-11-01'.",
        "Tệp đính kèm (attachments[1].file): không tìm thấy tệp, nhận được 'chua-tai-len.pdf'. Sửa: đặt tệp cạnh "
        "tệp .md của văn bản, hoặc sửa tên tệp cho đúng (phân biệt chữ hoa, chữ thường).",
    ]
    assert found["warnings"] == ["Số, ký hiệu (number): số dưới 10 phải có số 0 ở đầu (Nghị định 30/2020/NĐ-CP), "
                                 "nhận được '5/TB-THCSHS'. Sửa thành '05/TB-THCSHS'."]


def test_files_already_next_to_the_document_are_found_and_pending_ones_are_checked_by_type(sample: Site) -> None:
    kept = sample.raw(f"content/{UNIT}/tai-chinh/du-toan-da-ky.pdf", MINIMAL_PDF)
    data = {"title": "Dự toán năm 2027", "date": "2026-11-20", "report": "du-toan", "fiscal_year": "2027",
            "attachments": [{"file": kept.name}, {"file": "gia-mao.pdf"}]}
    pending = [{"name": "gia-mao.pdf", "size": 40_000, "whole": False, "data": "VGjDtG5nIHBoYWkgUERG"}]
    found = editor.check_entry(settings_of(sample), {"unit": UNIT, "kind": "tai-chinh", "data": data,
                                                     "pending": pending})
    assert len(found["errors"]) == 1 and found["errors"][0].startswith("Tệp đính kèm (attachments[2].file): nội dung "), found


def test_a_request_for_an_unknown_unit_or_kind_is_refused(sample: Site) -> None:
    settings = settings_of(sample)
    assert editor.check_entry(settings, {"unit": "khong-co", "kind": "thong-bao", "data": {}})["errors"] == [
        f"Không có đơn vị 'khong-co' trong {sample.units}/."]
    assert editor.check_entry(settings, {"unit": UNIT, "kind": "../../etc", "data": {}})["errors"] == [
        "Yêu cầu kiểm tra không hợp lệ (đơn vị, loại văn bản hoặc dữ liệu)."]


def test_the_form_s_data_is_written_as_the_editor_writes_it() -> None:
    text = editor.document_text({"title": "Kế hoạch", "date": "2026-02-03", "published": "", "tags": [],
                                 "signer": {"name": "", "title": ""}, "recipients": ["Lưu: VT."], "body": "Nội dung.\n"})
    assert text == "---\ntitle: Kế hoạch\ndate: 2026-02-03\nrecipients:\n- 'Lưu: VT.'\n---\nNội dung.\n"


def test_edit_refuses_to_listen_beyond_this_machine(sample: Site, capsys) -> None:
    with chdir(sample.root):
        code = cli.main(["serve", "--edit", "--host", "0.0.0.0", "--config", "mkdocs.yml", "--on", SAMPLE_ON])
    assert code == 2
    assert "chỉ mở trên chính máy này (--host 127.0.0.1), không trên 0.0.0.0" in capsys.readouterr().err


# --- the editor in Chromium, with the real decap-server -------------------------------------------

def require_decap() -> None:
    """Fail under CI=true (skip otherwise) when npm's packages are not installed."""
    import os

    if find_decap() is None or not (REPO / editor.DECAP_SERVER).is_file() or not shutil.which("node"):
        message = "chưa cài Decap CMS và decap-server: chạy 'npm ci --ignore-scripts --no-audit --no-fund'."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def editing(site: Site):
    """Yield the preview with the web editor over `site` (decap-server started and stopped here)."""
    backend = editor.DecapServer(site.root)
    backend.start()
    preview = serve.Preview(settings_of(site), port=0, log=lambda line: None, editor=backend)
    try:
        preview.start()
        wait_built(preview, 1)
        yield preview
    finally:
        preview.stop()
        backend.stop()


def wait_built(preview: serve.Preview, version: int, seconds: float = 180) -> serve.State:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = preview.snapshot()
        if state.version >= version and not state.building:
            return state
        time.sleep(0.1)
    raise AssertionError(f"bản xem trước chưa dựng xong lần {version} sau {seconds} giây")


class Editor:
    """The steps a member of staff takes in /quan-tri/, as Playwright calls."""

    def __init__(self, page, base: str, shots: Path | None = None) -> None:
        self.page = page
        self.base = base
        self.shots = shots

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.page.wait_for_timeout(400)
            self.page.screenshot(path=str(self.shots / f"{name}.png"))

    def open(self) -> None:
        from playwright.sync_api import expect

        self.page.goto(f"{self.base}quan-tri/?don-vi={UNIT}")
        login = self.page.get_by_role("button", name="Đăng nhập")
        expect(login).to_be_visible(timeout=60_000)
        self.shot("quan-tri-1-dang-nhap")
        login.click()
        expect(self.page.get_by_role("link", name="Thông báo – Trường THCS Hoa Sen")).to_be_visible(timeout=30_000)
        self.shot("quan-tri-2-danh-sach")

    def new(self, collection: str) -> None:
        from playwright.sync_api import expect

        self.page.goto(f"{self.base}quan-tri/?don-vi={UNIT}#/collections/{collection}")
        new = self.page.locator(f'a[href$="/collections/{collection}/new"]')
        expect(new).to_be_visible()
        new.click()
        expect(self.page.get_by_label("Tiêu đề (trích yếu)")).to_be_visible()

    def text(self, label: str, value: str, nth: int = 0, exact: bool = False) -> None:
        """Fill a text field (Decap's inputs are controlled by React: fill() now and then keeps the old
        value, so check and type it again when needed)."""
        field = self.page.get_by_label(label, exact=exact).nth(nth)
        field.fill(value)
        if field.input_value() != value:
            field.click()
            field.press("Control+a")
            field.press("Backspace")
            field.type(value)
        assert field.input_value() == value

    def date(self, label: str, value: str) -> None:
        self.page.get_by_label(label).fill(value)  # the browser's own date input: ISO here, shown dd/mm/yyyy

    def select(self, label: str, option: str) -> None:
        self.page.get_by_label(label).click()
        self.page.get_by_text(option, exact=True).click()

    def add(self, label: str) -> None:
        self.page.get_by_role("button", name=f"Thêm {label}").click()

    def field(self, name: str):
        """Return the box of the form's field `name` (its label, control, list items and buttons)."""
        return self.page.locator(f'div:has(> div > label[for^="{name}-field-"])').first

    def attach(self, path: Path, title: str) -> None:
        from playwright.sync_api import expect

        self.add("tệp đính kèm")
        attachments = self.field("attachments")
        attachments.get_by_role("button", name="Chọn tệp").last.click()
        dialog = self.page.get_by_role("dialog")
        self.page.locator("input[type=file]").set_input_files(str(path))
        expect(dialog.get_by_text(path.name, exact=True)).to_be_visible()
        # the folder's other files are listed too: none can be deleted from here
        expect(dialog.get_by_role("button", name="Xoá những cái đã chọn")).to_be_hidden()
        self.shot("quan-tri-4-chon-tep")
        # An upload is selected already; clicking its card again would unselect it.
        dialog.get_by_role("button", name="Lấy những cái đã chọn").click()
        expect(dialog).to_be_hidden()
        self.text("Tên hiển thị", title, nth=-1)

    def body(self, text: str) -> None:
        self.page.locator("[data-slate-editor]").click()
        self.page.keyboard.type(text)

    def publish(self) -> None:
        self.page.get_by_role("button", name="Công bố", exact=True).click()
        self.page.get_by_role("menuitem", name="Công bố ngay").click()

    def saved(self, collection: str, slug: str) -> None:
        from playwright.sync_api import Error, expect

        try:
            self.page.wait_for_url(f"**/collections/{collection}/entries/{slug}", timeout=30_000)
        except Error:  # say what the page shows instead
            shown = self.page.locator("#ck-thong-bao, ul[class*=ControlErrorsList] li, .Toastify__toast").all_text_contents()
            raise AssertionError(f"chưa lưu {slug}: {shown}") from None
        expect(self.page.locator("#ck-thong-bao.ck-tot")).to_contain_text("không có lỗi", timeout=120_000)


def write_notice(steps: Editor, pdf: Path) -> None:
    steps.new(NOTICE)
    steps.text("Tiêu đề (trích yếu)", NOTICE_TITLE)
    steps.date("Ngày ban hành (bắt buộc khi đăng)", "2026-11-20")
    steps.text("Số, ký hiệu", "31/TB-THCSHS")
    steps.select("Trạng thái", "Đã đăng")
    for index, who in enumerate(["Cha mẹ học sinh", "Lưu: VT."]):
        steps.add("nơi nhận")
        steps.text("Nơi nhận", who, nth=index, exact=True)
    steps.date("Hiệu lực đến", "2026-12-31")
    steps.body("Nhà trường thông báo lịch tiếp công dân tháng 12 năm 2026 tại văn phòng nhà trường.")
    steps.page.get_by_label("Tiêu đề (trích yếu)").scroll_into_view_if_needed()
    steps.shot("quan-tri-3-bieu-mau")
    steps.attach(pdf, "Bản scan có chữ ký")
    steps.publish()
    steps.saved(NOTICE, NOTICE_SLUG)
    steps.shot("quan-tri-5-da-luu")


def write_budget(steps: Editor, pdf: Path) -> None:
    steps.new(BUDGET)
    steps.text("Tiêu đề (trích yếu)", BUDGET_TITLE)
    steps.date("Ngày ban hành (bắt buộc khi đăng)", "2026-11-21")
    steps.text("Số, ký hiệu", "45/QĐ-THCSHS")
    steps.select("Trạng thái", "Đã đăng")
    steps.select("Loại báo cáo (bắt buộc khi đăng)", "Dự toán ngân sách được giao")
    steps.text("Năm ngân sách / năm học (bắt buộc khi đăng)", "năm 2027")
    steps.publish()  # the pattern refuses "năm 2027" before anything is written
    errors = steps.page.locator("ul[class*=ControlErrorsList] li")
    assert any("không khớp với mẫu: 2026 hoặc 2025-2026" in t for t in errors.all_text_contents())
    steps.text("Năm ngân sách / năm học (bắt buộc khi đăng)", "2027")
    steps.attach(pdf, "Quyết định công khai dự toán (bản ký)")
    steps.body("Căn cứ Quyết định giao dự toán năm 2027, nhà trường công khai dự toán như tệp đính kèm.")
    steps.publish()
    steps.saved(BUDGET, BUDGET_SLUG)


def refuse_invalid_entries(steps: Editor, site: Site) -> None:
    from playwright.sync_api import expect

    page = steps.page
    before = sorted(p.name for p in (site.content / UNIT / "thong-bao").iterdir())
    steps.new(NOTICE)  # a missing required field: Decap's own check
    steps.text("Số, ký hiệu", "32/TB-THCSHS")
    steps.publish()
    errors = page.locator("ul[class*=ControlErrorsList] li")
    expect(errors.first).to_be_visible()
    assert "Tiêu đề (trích yếu) bắt buộc nhập." in [t.strip() for t in errors.all_text_contents()]
    expect(page.locator(".Toastify__toast--error").first).to_contain_text("Bạn còn thiếu vài thông tin bắt buộc")
    steps.text("Tiêu đề (trích yếu)", "Thông báo nghỉ học")  # published without its date: refused before saving
    steps.select("Trạng thái", "Đã đăng")
    steps.publish()
    expect(page.locator("#ck-thong-bao.ck-loi")).to_contain_text("Ngày ban hành (date): bắt buộc khi đăng")
    steps.date("Ngày ban hành (bắt buộc khi đăng)", "2026-11-20")  # a bad date: `check` refuses it
    steps.date("Hiệu lực đến", "2026-11-01")
    steps.publish()
    box = page.locator("#ck-thong-bao.ck-loi")
    expect(box).to_contain_text("Hiệu lực đến (valid_until): thông báo hết hiệu lực trước ngày ban hành, "
                                "nhận được '2026-11-01'.")
    expect(page.locator(".Toastify__toast--error").last).to_contain_text("Hiệu lực đến (valid_until)")
    steps.shot("quan-tri-6-loi")
    assert sorted(p.name for p in (site.content / UNIT / "thong-bao").iterdir()) == before  # nothing written


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text[:40]
    return yaml.safe_load(text[4:].split("\n---\n", 1)[0])


def test_staff_publish_a_notice_and_a_budget_disclosure_through_the_forms(sample: Site, browser, tmp_path) -> None:
    require_decap()
    pdf = tmp_path / "lich-tiep-dan-ky.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    budget_pdf = tmp_path / "qd-cong-khai-du-toan-2027.pdf"
    budget_pdf.write_bytes(MINIMAL_PDF)
    with editing(sample) as preview:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        steps = Editor(page, preview.url)
        steps.open()
        write_notice(steps, pdf)
        # Only refused saves log errors (Decap rejects a promise, and logs the refusal): none until here.
        assert problems == []
        write_budget(steps, budget_pdf)
        refuse_invalid_entries(steps, sample)
        context.close()
    folder = sample.content / UNIT
    notice = front_matter(folder / "thong-bao" / f"{NOTICE_SLUG}.md")
    assert notice == {"title": NOTICE_TITLE, "date": date(2026, 11, 20), "number": "31/TB-THCSHS",
                      "recipients": ["Cha mẹ học sinh", "Lưu: VT."], "status": "published",
                      "attachments": [{"file": pdf.name, "title": "Bản scan có chữ ký"}],
                      "valid_until": date(2026, 12, 31)}
    assert (folder / "thong-bao" / pdf.name).read_bytes() == MINIMAL_PDF  # next to the document
    budget = front_matter(folder / "tai-chinh" / f"{BUDGET_SLUG}.md")
    assert budget["report"] == "du-toan" and budget["fiscal_year"] == "2027"
    assert budget["attachments"] == [{"file": budget_pdf.name, "title": "Quyết định công khai dự toán (bản ký)"}]
    assert (folder / "tai-chinh" / budget_pdf.name).is_file()
    assert sample.run("check") == 0
    assert sample.run("build", "--no-search") == 0
    page_html = (sample.out / UNIT / "thong-bao" / NOTICE_SLUG / "index.html").read_text(encoding="utf-8")
    assert NOTICE_TITLE in page_html and pdf.name in page_html
    assert (sample.out / UNIT / "thong-bao" / NOTICE_SLUG / pdf.name).is_file()
    budget_html = (sample.out / UNIT / "tai-chinh" / BUDGET_SLUG / "index.html").read_text(encoding="utf-8")
    assert BUDGET_TITLE in budget_html and budget_pdf.name in budget_html


def test_the_session_and_the_api_are_served_by_the_preview(sample: Site) -> None:
    require_decap()
    with editing(sample) as preview:
        with urllib.request.urlopen(preview.url + editor.SESSION_PATH.lstrip("/"), timeout=30) as answer:
            assert json.load(answer)["api"] == editor.API_PATH
        api = preview.url + editor.API_PATH.lstrip("/")
        info = b'{"action":"info","params":{}}'
        request = urllib.request.Request(api, data=info, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.load(answer)["type"] == "local_fs"
        elsewhere = urllib.request.Request(api, data=info, headers={"Content-Type": "application/json",
                                                                    "Origin": "https://trang-la.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(elsewhere, timeout=30)
        assert refused.value.code == 403  # another site open in the same browser cannot save files
        page = urllib.request.urlopen(preview.url + "quan-tri/", timeout=30).read().decode("utf-8")
        assert serve.SCRIPT_PATH not in page  # the editor is not reloaded by the preview's rebuilds


if __name__ == "__main__" and "--screenshots" in sys.argv:
    import tempfile

    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    target = Path(sys.argv[sys.argv.index("--screenshots") + 1]).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as pw:
        root = Path(scratch)
        site = Site(root)
        shutil.copytree(REPO / "units", site.units)
        shutil.copytree(REPO / "content", site.content)
        site.config()
        (root / "lich-tiep-dan-ky.pdf").write_bytes(MINIMAL_PDF)
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--lang=vi-VN"])
        with editing(site) as preview:
            page = chromium.new_page(locale="vi-VN", viewport={"width": 1280, "height": 860})
            steps = Editor(page, preview.url, target)
            steps.open()
            write_notice(steps, root / "lich-tiep-dan-ky.pdf")
            refuse_invalid_entries(steps, site)
        chromium.close()
    print(f"Đã chụp ảnh vào {target}")


def test_only_the_editor_s_own_page_may_save_through_the_preview() -> None:
    own = "http://127.0.0.1:8765/"
    page = {"Host": "127.0.0.1:8765", "Origin": "http://127.0.0.1:8765", "Content-Type": "application/json"}
    assert serve.foreign_request(page, own) is None
    assert serve.foreign_request({**page, "Host": "localhost:8765", "Origin": "http://localhost:8765"}, own) is None
    assert serve.foreign_request({"Host": "127.0.0.1:8765", "Content-Type": "application/json"}, own) is None
    assert serve.foreign_request({**page, "Origin": "https://trang-la.example"}, own) == \
        "Từ chối: yêu cầu không đến từ trang soạn thảo của máy này."
    assert serve.foreign_request({**page, "Host": "tro-lai.example:8765"}, own) == \
        "Từ chối: địa chỉ máy không phải máy này."
    assert serve.foreign_request({**page, "Content-Type": "text/plain"}, own) == "Từ chối: yêu cầu phải là JSON."
