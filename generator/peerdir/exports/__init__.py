"""Open data: the directory in the formats other directories, apps and search engines read.

Every export is a pure function of the loaded records and the site's address. The build
publishes each format in its folder below; ``peerdir export`` writes the same text.
"""

from __future__ import annotations

import datetime

from ..records import Directory
from . import atom, csvfile, dataset, envelope, hsds, sitemaps

# Each format of ``peerdir export`` and the folder of the site it is published in.
FOLDERS = {"json": "data", "csv": "data", "hsds": "data/hsds"}
JSON_FILE = "programs.json"
CSV_FILE = "programs.csv"
JSON_PATH = f"{FOLDERS['json']}/{JSON_FILE}"
CSV_PATH = f"{FOLDERS['csv']}/{CSV_FILE}"
HSDS_DIR = FOLDERS["hsds"]
FEED_PATH = "feed.xml"


def export(kind: str, directory: Directory, site_url: str, today: datetime.date) -> dict[str, str]:
    """One format's files, by file name; ``today`` dates an export only when there are no records."""
    if kind == "json":
        return {JSON_FILE: envelope.programs_json(directory, site_url, dataset.as_of(directory, today))}
    if kind == "csv":
        return {CSV_FILE: csvfile.programs_csv(directory, site_url)}
    return hsds.hsds_files(directory, site_url)


def export_files(directory: Directory, site_url: str, today: datetime.date) -> dict[str, str]:
    """Every published data file, keyed by its path inside the docs dir."""
    files = {
        f"{folder}/{name}": text for kind, folder in FOLDERS.items() for name, text in export(kind, directory, site_url, today).items()
    }
    files.update(sitemaps.folder_sitemaps(files, site_url))
    files[FEED_PATH] = atom.programs_feed(directory, site_url, dataset.as_of(directory, today), FEED_PATH)
    return files
