"""A long list of programs split into plain-HTML pages: page 1 at the list's own address,
page n at ``<address>page/<n>/``, each with a nav to the others.

Without JavaScript a visitor still reaches every program, and no page holds thousands of
cards (a page's weight and a browser's layout work grow with its cards). The directory and
the facet pages share this one split.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# Page numbers the nav names on each side of the current one (first and last always).
NEARBY = 2


@dataclass(frozen=True)
class PageLink:
    number: int
    href: str
    current: bool


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a split list. ``path`` is its Markdown file in the docs dir, ``url`` its
    address from the site root (directory-style, ending in "/")."""

    number: int
    count: int
    items: tuple[T, ...]
    path: str
    url: str
    links: tuple[PageLink | None, ...]  # None: numbers left out ("…")
    previous: str | None
    next: str | None


def paginate(items: Sequence[T], size: int, first_path: str) -> list[ListPage[T]]:
    """``items`` in pages of ``size``; ``first_path`` is page 1's Markdown file
    ("programs/index.md", "for/nurses.md"). A list that fits on one page gets one page and
    no links. An empty list still gets its page."""
    chunks = [tuple(items[start : start + size]) for start in range(0, len(items), size)] or [()]
    base = page_url(first_path)
    urls = [base] + [f"{base}page/{number}/" for number in range(2, len(chunks) + 1)]
    paths = [first_path] + [f"{url.removesuffix('/')}.md" for url in urls[1:]]
    count = len(chunks)
    pages = []
    for index, chunk in enumerate(chunks):
        here = urls[index]
        links: list[PageLink | None] = []
        for number in range(1, count + 1) if count > 1 else ():
            if number in (1, count) or abs(number - (index + 1)) <= NEARBY:
                links.append(PageLink(number, relative_url(here, urls[number - 1]), number == index + 1))
            elif links[-1] is not None:
                links.append(None)
        pages.append(
            ListPage(
                number=index + 1,
                count=count,
                items=chunk,
                path=paths[index],
                url=here,
                links=tuple(links),
                previous=relative_url(here, urls[index - 1]) if index > 0 else None,
                next=relative_url(here, urls[index + 1]) if index + 1 < count else None,
            )
        )
    return pages


def page_url(path: str) -> str:
    """The address MkDocs (with directory URLs) gives a Markdown file: "for/nurses.md" ->
    "for/nurses/", "programs/index.md" -> "programs/"."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(here: str, there: str) -> str:
    """A link from the page at ``here`` to the one at ``there`` that works on any host and
    under any site prefix (both directory-style addresses from the site root)."""
    return posixpath.relpath(there or ".", here or ".") + "/"
