"""Authoring: what helps people write documents — `import` (Word, text and Markdown files read with
their letterhead into a document), `new` (a draft with every field explained), the live preview
(`serve`), and the synthetic portal used for benchmarks.

May import: every stage below it (build, site, rules, kinds, config, model).
"""
