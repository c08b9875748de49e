"""The site: turning the validated portal into pages, feeds, search records, sitemaps, calendars,
the register and embeddable lists — as plain data (site.pages plans every page) — and the one edge
to the site engine, MkDocs with Material (site.engine, the only module that imports them), plus the
last check that nothing in a finished page can run (site.audit).

May import: rules, kinds, config and model.
"""
