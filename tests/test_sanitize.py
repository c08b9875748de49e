"""Nothing injected: authored HTML is cleaned, front-matter text is escaped, and the author is told."""

from __future__ import annotations

from congkhai.sanitize import clean, removed_parts

from conftest import Site

HOSTILE = (
    '<p onclick="steal()">Xin chào</p>\n\n<script>alert("x")</script>\n\n'
    '<iframe src="https://example.com"></iframe>\n\n<style>body{display:none}</style>\n\n'
    '<form action="https://example.com"><input name="mk"></form>\n\n'
    '<svg><script>alert(2)</script></svg>\n\n'
    '[bấm vào đây](javascript:alert(3)) ![ảnh](data:image/png;base64,AAAA)\n\n'
    '| Cột | Giá trị |\n|---|---|\n| a<br>b | x<sup>2</sup> |\n\n![Sơ đồ trường](so-do.png)\n'
)


def test_the_harmless_part_stays() -> None:
    html = '<table><tr><td>a<br>b</td><td>x<sup>2</sup></td></tr></table><img src="so-do.png" alt="Sơ đồ">'
    assert clean(html) == ('<table><tbody><tr><td>a<br>b</td><td>x<sup>2</sup></td></tr></tbody></table>'
                           '<img src="so-do.png" alt="Sơ đồ">')
    assert removed_parts(html) == []


def test_a_hostile_body_is_cleaned_and_reported(site: Site, capsys) -> None:
    site.standard_units()
    site.doc("thcs-a", "tin-tuc", "tin", "title: Tin\ndate: 2025-03-01\n", body=HOSTILE)
    assert site.run("build") == 0
    out = capsys.readouterr().out
    assert ("Cảnh báo: content/thcs-a/tin-tuc/tin.md: nội dung có mã HTML không an toàn, đã bị loại bỏ khi đăng: "
            "thuộc tính onclick, thẻ <script>, thẻ <iframe>, thẻ <style>, thẻ <form>, thẻ <input>, thẻ <svg>, "
            "địa chỉ javascript:, địa chỉ data:.") in out
    page = (site.out / "thcs-a/tin-tuc/tin/index.html").read_text(encoding="utf-8")
    article = page[page.index('<article'):page.index('</article>')]
    for bad in ("onclick", "alert(", "<iframe", "display:none", "<form", "<input", "javascript:", "data:image"):
        assert bad not in article
    assert "<td>a<br>b</td>" in article and "<sup>2</sup>" in article and 'alt="Sơ đồ trường"' in article
    assert site.run("build", "--strict") == 1
