"""A ``sitemap.xml`` in each folder of data files, listing the files of that folder.

Material for MkDocs takes every ``<link rel="alternate">`` for another language version of
the site and fetches ``sitemap.xml`` from the folder the link points into. The feed and
data links in every page's head would make each page load ask for ``data/sitemap.xml`` and
``data/hsds/sitemap.xml`` and get errors; these sitemaps give it (and crawlers) a valid
answer. The site's own ``sitemap.xml`` at the top is MkDocs' and lists the pages.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from . import dataset

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def folder_sitemaps(paths: Iterable[str], site_url: str) -> dict[str, str]:
    """``<folder>/sitemap.xml`` for every folder below the top that holds one of ``paths``."""
    folders: dict[str, list[str]] = {}
    for path in sorted(paths):
        folder = posixpath.dirname(path)
        if folder:
            folders.setdefault(folder, []).append(path)
    return {f"{folder}/sitemap.xml": _sitemap(files, site_url) for folder, files in folders.items()}


def _sitemap(paths: list[str], site_url: str) -> str:
    urlset = ET.Element("urlset", xmlns=SITEMAP)
    for path in paths:
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = dataset.absolute(site_url, path)
    ET.indent(urlset)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"
