"""Rendering: typed records in, Markdown pages out (a dict of docs-relative path -> text).

Templates hold the markup. Every value a template prints is escaped for where it lands:
Markdown templates escape Markdown and HTML specials through Jinja's ``finalize`` hook, so
a record can never inject markup or a link; HTML fragments use Jinja's HTML autoescape.
Only the filters below may mark output as already safe.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import schema
from .records import Directory, Program

TEMPLATES = Path(__file__).parent / "templates"

SCHEMA_PATH = "schema/program.schema.json"


@dataclass(frozen=True)
class SiteSettings:
    """What the pages need to know about where the site is published."""

    site_url: str = ""
    repo_url: str = ""

    @classmethod
    def from_mkdocs(cls, config: dict[str, Any]) -> SiteSettings:
        return cls(site_url=str(config.get("site_url") or ""), repo_url=str(config.get("repo_url") or ""))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=:$@])")


def escape_markdown(text: str) -> str:
    """Plain text that Python-Markdown (with pymdownx.escapeall) prints exactly as written.

    Whitespace runs fold to one space, so a value can never open a new block (a heading,
    a list, a code block); HTML specials become entities; Markdown punctuation is
    backslash-escaped.
    """
    folded = " ".join(text.split())
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", folded), quote=False)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return escape_markdown(str(value))


def _link(url: str, text: str) -> Markup:
    """An inline link: the address escaped as an HTML attribute, the text as Markdown."""
    return Markup(f'<a href="{html.escape(url, quote=True)}">{escape_markdown(text)}</a>')


def _front_matter(text: str) -> Markup:
    """A front-matter string. MkDocs' theme templates print page titles and descriptions
    without escaping, so the value is HTML-escaped here; JSON is valid YAML and
    json.dumps quotes everything else."""
    return Markup(json.dumps(html.escape(" ".join(text.split()), quote=True), ensure_ascii=False))


def _labels(values: tuple[str, ...], vocabulary: str) -> str:
    vocab = schema.vocabularies()[vocabulary]
    return ", ".join(vocab.label(value) for value in values)


def _label(value: str, vocabulary: str) -> str:
    return schema.vocabularies()[vocabulary].label(value)


def _environment(markdown: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=not markdown,
        finalize=_finalize if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(labels=_labels, label=_label, link=_link, front_matter=_front_matter)
    return env


_MARKDOWN = _environment(markdown=True)
_HTML = _environment(markdown=False)


def render_site(
    directory: Directory, settings: SiteSettings, today: datetime.date, links_verified: Mapping[str, datetime.date] | None = None
) -> dict[str, str]:
    """Every generated file, keyed by its path inside the docs dir.

    ``links_verified`` (listing id -> date) comes from the link checker's cache, if any.
    """
    pages: dict[str, str] = {}
    for program in directory.programs:
        verified = (links_verified or {}).get(program.id)
        pages[f"programs/{program.id}.md"] = render_program(program, directory, settings, verified)
    pages["programs/index.md"] = render_directory_page(directory)
    pages["reference/record-format.md"] = _MARKDOWN.get_template("record-format.md.j2").render(
        fields=record_fields(), vocabularies=schema.vocabularies().values(), schema_path=SCHEMA_PATH
    )
    pages[SCHEMA_PATH] = published_schema(settings)
    return pages


def render_program(program: Program, directory: Directory, settings: SiteSettings, links_verified: datetime.date | None = None) -> str:
    return _MARKDOWN.get_template("program.md.j2").render(
        p=program,
        references=directory.references,
        correction_url=correction_url(program, settings),
        links_verified=links_verified,
    )


def correction_url(program: Program, settings: SiteSettings) -> str | None:
    """A new-issue link in the repository, pre-filled with the listing to correct."""
    if not settings.repo_url.startswith("https://github.com/"):
        return None
    query = urlencode(
        {
            "title": f"Correction: {program.name}",
            "labels": "correction",
            "body": f"Listing: {program.id} ({program.file})\n\nWhat should change, and the source that confirms it:\n",
        },
        quote_via=quote,
    )
    return f"{settings.repo_url.rstrip('/')}/issues/new?{query}"


def render_directory_page(directory: Directory) -> str:
    listing = _HTML.get_template("listing.html.j2").render(programs=directory.programs)
    return _MARKDOWN.get_template("directory.md.j2").render(programs=directory.programs, listing=Markup(listing.strip()))


@dataclass(frozen=True)
class FieldDoc:
    """One row of the generated record-format reference."""

    path: str
    type: str
    required: bool
    description: str
    vocabulary: str | None


def record_fields() -> list[FieldDoc]:
    """Walk the schema into the reference page's rows, nested fields included."""
    rows: list[FieldDoc] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", ()))
        for name, prop in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            resolved, vocabulary = _resolve(prop)
            kind = resolved.get("type", "")
            if kind == "array":
                item, vocabulary = _resolve(resolved["items"])
                kind = f"list of {item.get('type', 'value')}"
                if item.get("type") == "object":
                    rows.append(FieldDoc(path, kind, name in required, _describe(prop, resolved), vocabulary))
                    walk(item, f"{path}[].")
                    continue
            rows.append(FieldDoc(path, kind, name in required, _describe(prop, resolved), vocabulary))
            if resolved.get("type") == "object":
                walk(resolved, f"{path}.")

    walk(schema.schema(), "")
    return rows


def _resolve(prop: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        return schema.schema()["$defs"][name], (name if name in schema.vocabularies() else None)
    return prop, None


def _describe(prop: dict[str, Any], resolved: dict[str, Any]) -> str:
    text = prop.get("description") or resolved.get("description", "")
    hint = resolved.get("x-hint") or (resolved.get("items") or {}).get("x-hint")
    if resolved.get("format") == "date":
        hint = "a date written YYYY-MM-DD"
    if "maxLength" in resolved:
        text += f" At most {resolved['maxLength']} characters."
    return f"{text} Form: {hint}." if hint else text


def published_schema(settings: SiteSettings) -> str:
    """The schema as published on the site, with its permanent address as ``$id``."""
    published = dict(schema.schema())
    if settings.site_url:
        published = {"$schema": published.pop("$schema"), "$id": settings.site_url.rstrip("/") + "/" + SCHEMA_PATH, **published}
    return json.dumps(published, indent=2, ensure_ascii=False) + "\n"
