"""The README's first commands are the contract with new users and with CI."""

from __future__ import annotations

import re

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_build_and_the_test_command() -> None:
    build, test = readme_commands()[:2]
    assert "build.py" in build and "http.server --directory site" in build
    assert test.endswith("python -m pytest")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test = readme_commands()[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == test


def test_requirements_are_pinned_and_keep_mkdocs_below_2() -> None:
    lines = [
        line for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert all("==" in line for line in lines)
    mkdocs = next(line for line in lines if line.startswith("mkdocs=="))
    assert int(mkdocs.split("==")[1].split(".")[0]) < 2
