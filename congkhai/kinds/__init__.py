"""The registry of document kinds: one entry per kind (model.kind.Kind), each in its own module.

Every stage asks this registry about kinds — reading (which fields, which reader), pages (which
template, files, badges, listing groups), feeds (one per unit and kind), search (extra words), the
scaffold of `new`, the web editor's forms and the authoring guide. Adding a kind is one module here
(its fields, reader and texts), its page template (site/templates/kinds/<folder>.html), its section
of the guide and its tests; nothing else changes.

May import: the model.
"""

from __future__ import annotations

from ..model.kind import Kind
from . import ke_hoach, tai_chinh, thong_bao, thu_tuc, tin_tuc, tuyen_sinh

# In the order readers meet them (navigation, listings, feeds, search filters).
KINDS: tuple[Kind, ...] = (ke_hoach.KIND, thu_tuc.KIND, tai_chinh.KIND, tin_tuc.KIND, thong_bao.KIND, tuyen_sinh.KIND)
REGISTRY: dict[str, Kind] = {kind.folder: kind for kind in KINDS}


def by_folder(folder: str) -> Kind:
    """Return the kind whose folder is `folder`; raises KeyError."""
    return REGISTRY[folder]
