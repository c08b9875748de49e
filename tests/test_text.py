"""Text for outputs that are not HTML pages: inert in feeds and calendars, safe in spreadsheets."""

from __future__ import annotations

import json

from congkhai.model.text import csv_text, inert
from congkhai.site.register import json_text


def test_inert_defuses_what_would_open_a_tag_and_keeps_the_rest() -> None:
    assert inert('Sở GD&ĐT: tỷ lệ < 5% <script>alert(1)</script> <img src=x> <!-- x --> <?php') == (
        "Sở GD&ĐT: tỷ lệ < 5% ‹script>alert(1)‹/script> ‹img src=x> ‹!-- x --> ‹?php")


def test_csv_text_never_lets_a_spreadsheet_run_a_formula() -> None:
    assert [csv_text(v) for v in ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "Kế hoạch", None, 12]] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'-1+2", "'@SUM(A1)", "'\tx", "Kế hoạch", "", "12"]


def test_register_json_holds_no_markup_character_and_the_same_data() -> None:
    payload = {"title": "<script>alert('x')</script> & Sở GD&ĐT"}
    text = json_text(payload)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == payload
