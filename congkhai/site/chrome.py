"""Shared chrome: the parts of Material's page frame that are the same on many pages of one MkDocs
build are rendered once and reused, through the template blocks of site_src/overrides/main.html (the
theme itself is not changed).

- The stylesheets, scripts and the theme's configuration (`congkhai_shared("styles", super)`): they
  depend on nothing but the page's depth (their addresses are relative, through `base_url`), so one
  rendering serves every page at that depth.
- The navigation sidebar (`congkhai_nav()`): Material's partials/nav.html depends on the page only
  through which items are active and through addresses relative to the page's folder. A page that is
  not an item of the navigation itself (a document under its list) and has no item below its own
  address shares the rendering of every such page with the same parent folder and the same active
  items. Any other page is rendered as the theme would, unshared.

Each build starts with nothing held (`reset`): the navigation, the configuration and the site's
address may differ from one build to the next. The output is byte-identical to rendering every page
on its own (tests/test_cache.py builds both ways)."""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
import markupsafe

NAV_TEMPLATE = "partials/nav.html"


class SharedChrome:
    """What one build has rendered of the shared parts of its pages, and how often it was reused."""

    enabled = True  # False renders every page on its own (the tests compare both)

    def __init__(self) -> None:
        self.drawn: dict[tuple[Any, ...], markupsafe.Markup] = {}
        self.reused: Counter[str] = Counter()  # renderings saved, by kind ("block", "nav"), over all builds

    def reset(self) -> None:
        self.drawn.clear()

    def install(self, env: jinja2.Environment) -> None:
        """Make the shared parts callable from the theme's templates."""
        env.globals["congkhai_shared"] = self.shared
        env.globals["congkhai_nav"] = self.nav

    def _held(self, key: tuple[Any, ...] | None, draw: Callable[[], Any]) -> markupsafe.Markup:
        if key is None or not self.enabled:
            return markupsafe.Markup(draw())
        held = self.drawn.get(key)
        if held is None:
            held = self.drawn[key] = markupsafe.Markup(draw())
        else:
            self.reused[key[0]] += 1
        return held

    @jinja2.pass_context
    def shared(self, context: jinja2.runtime.Context, name: str, parent: Callable[[], Any]) -> markupsafe.Markup:
        """Return the theme's block `name` (`parent`, the block's `super`), rendered once per page depth."""
        return self._held(("block", name, context.get("base_url")), parent)

    @jinja2.pass_context
    def nav(self, context: jinja2.runtime.Context) -> markupsafe.Markup:
        """Return the theme's navigation sidebar for the page being rendered, shared where it can be."""
        return self._held(nav_key(context.get("page"), context.get("nav")),
                          lambda: context.environment.get_template(NAV_TEMPLATE).render(context.get_all()))


def nav_key(page: Any, nav: Any) -> tuple[Any, ...] | None:
    """Return what the navigation's rendering depends on for `page`, or None when it is the page's own."""
    if page is None or nav is None:
        return None
    url = getattr(page, "url", None)
    pages = list(getattr(nav, "pages", ()))
    if not isinstance(url, str) or not url.endswith("/") or page in pages:
        return None  # the home page (""), a file address, or the page is an item (it is shown lit, its toc inside)
    if any(isinstance(p.url, str) and p.url.startswith(url) for p in pages):
        return None  # an address below the page's own is written relative to the page itself
    active = tuple(i for i, item in enumerate(_items(nav.items)) if getattr(item, "active", False))
    return ("nav", id(nav), posixpath.dirname(url.rstrip("/")), active)


def _items(items: Any) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or ())
