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
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import schema
from .cards import CARDS_PATH, Card, blank, card, cards_json
from .citations import number_citations
from .crisis import CountryHelp, dial_uri
from .exports import CSV_PATH, FEED_PATH, HSDS_DIR, JSON_PATH, atom, csvfile, envelope, export_files, hsds, jsonld
from .exports.dataset import SCHEMA_PATH
from .facets import FACETS
from .guides import Guide, Page, reading_minutes, title_line
from .pagination import ListPage, paginate, relative_url
from .records import Directory, Program
from .references import Reference
from .upkeep import REVIEW_MONTHS, review_due

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class SiteSettings:
    """What the pages need to know about where the site is published."""

    site_url: str = ""
    repo_url: str = ""

    @classmethod
    def from_mkdocs(cls, config: dict[str, Any]) -> SiteSettings:
        return cls(site_url=str(config.get("site_url") or ""), repo_url=str(config.get("repo_url") or ""))


# Markdown punctuation gets a backslash; HTML specials become entities. (A page prints
# tens of thousands of values: one pattern and a lookup per match beat str.translate,
# whose mapping to longer strings goes character by character.)
_MARKDOWN_PUNCTUATION = "\\`*_{}[]()#+-.!|~^=:$@"
_ESCAPES = {char: "\\" + char for char in _MARKDOWN_PUNCTUATION} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile("[" + re.escape(_MARKDOWN_PUNCTUATION) + "&<>]")


def escape_markdown(text: str) -> str:
    """Plain text that Python-Markdown (with pymdownx.escapeall) prints exactly as written.

    Whitespace runs fold to one space, so a value can never open a new block (a heading,
    a list, a code block); HTML specials become entities; Markdown punctuation is
    backslash-escaped.
    """
    folded = " ".join(text.split())
    return _SPECIAL.sub(lambda match: _ESCAPES[match[0]], folded)


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


def _doc_link(path: str, text: str) -> Markup:
    """A Markdown link to another page of the docs dir, so MkDocs checks and rewrites it."""
    return Markup(f"[{escape_markdown(text)}]({path})")


def _dial_link(number: str, scheme: str = "tel") -> Markup:
    return _link(dial_uri(number, scheme), number)


def _host(url: str) -> str:
    """A web address as a person reads it aloud: its host, without "www."."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


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
    env.filters.update(
        labels=_labels, label=_label, link=_link, front_matter=_front_matter, doc_link=_doc_link, dial_link=_dial_link, host=_host
    )
    return env


_MARKDOWN = _environment(markdown=True)
_HTML = _environment(markdown=False)


def compile_templates() -> None:
    """Compile every template in this process now: worker processes forked afterwards
    inherit them, instead of each compiling the same ones again."""
    for env, suffix in ((_MARKDOWN, ".md.j2"), (_HTML, ".html.j2")):
        for name in env.list_templates():
            if name.endswith(suffix):
                env.get_template(name)


@dataclass(frozen=True)
class SiteInputs:
    """What every generated page is made from. ``links_verified`` (listing id -> date)
    comes from the link checker's cache, if any."""

    directory: Directory
    settings: SiteSettings
    today: datetime.date
    guides: tuple[Guide, ...] = ()
    links_verified: Mapping[str, datetime.date] = field(default_factory=dict)


# A share of the generated files that needs no other share: a slice of the programs (their
# pages), or one of the parts below, each of which needs the whole directory.
Part = slice | str
# The parts that need the whole directory come first, longest first, and the short slices
# of program pages last: workers spread over every core finish close together.
_WHOLE_DIRECTORY_PARTS = ("exports", "listings", "help-and-reference")
_PROGRAMS_PER_PART = 100

# Where generated files go; a hand-written page of content/ may not be there. The
# folders are the generator's alone, so no new program can ever clash with a hand-written page.
GENERATED_FOLDERS = ("programs/", "for/", "in/", "data/", "schema/")
GENERATED_FILES = (FEED_PATH, "urgent-help.md", "reference/record-format.md", "reference/data-formats.md")


def is_generated(path: str) -> bool:
    """Whether ``path`` (inside the docs dir) is where the generator writes."""
    return path in GENERATED_FILES or path.startswith(GENERATED_FOLDERS)


def site_parts(site: SiteInputs) -> list[Part]:
    """The independent shares of the generated files, longest first, for render_part."""
    count = len(site.directory.programs)
    return [*_WHOLE_DIRECTORY_PARTS, *(slice(start, start + _PROGRAMS_PER_PART) for start in range(0, count, _PROGRAMS_PER_PART))]


def render_part(site: SiteInputs, part: Part) -> dict[str, str]:
    """One share of the generated files (see site_parts), keyed by path inside the docs dir."""
    if part == "exports":
        return export_files(site.directory, site.settings.site_url, site.today)
    if part == "listings":
        listings = Listings(site.directory.programs, site.today)
        return render_directory_pages(site.directory, listings) | render_facet_pages(site.directory, listings)
    if part == "help-and-reference":
        return {
            "urgent-help.md": render_urgent_help(site.directory),
            "reference/record-format.md": _MARKDOWN.get_template("record-format.md.j2").render(
                fields=record_fields(), vocabularies=schema.vocabularies().values(), schema_path=SCHEMA_PATH
            ),
            "reference/data-formats.md": render_data_formats(),
            SCHEMA_PATH: published_schema(site.settings),
        }
    assert isinstance(part, slice)
    pages: dict[str, str] = {}
    for program in site.directory.programs[part]:
        verified = site.links_verified.get(program.id)
        pages[f"programs/{program.id}.md"] = render_program(program, site.directory, site.settings, site.today, site.guides, verified)
        for former_id in program.former_ids:
            pages[f"programs/{former_id}/index.html"] = render_redirect(program, site.settings)
    return pages


def render_site(site: SiteInputs) -> dict[str, str]:
    """Every generated file, keyed by its path inside the docs dir, rendered here.
    ``peerdir generate`` renders the same parts on every core instead."""
    return {path: text for part in site_parts(site) for path, text in render_part(site, part).items()}


def render_program(
    program: Program,
    directory: Directory,
    settings: SiteSettings,
    today: datetime.date,
    guides: tuple[Guide, ...] = (),
    links_verified: datetime.date | None = None,
) -> str:
    return _MARKDOWN.get_template("program.md.j2").render(
        p=program,
        glance=at_a_glance(program),
        review_due=review_due(program, today),
        references=directory.references,
        correction_url=correction_url(program, settings),
        related=_related_links(program),
        review_months=REVIEW_MONTHS,
        # Guides about this kind of program first, then those that fit every program.
        guides=sorted((guide for guide in guides if guide.related.fits(program)), key=lambda guide: guide.related.every),
        # For theme/main.html to put in <head>: in the article, Material's instant navigation
        # would re-run it as a script without its type, which the Content-Security-Policy blocks.
        # JSON is valid YAML, so json.dumps quotes it for the front matter.
        jsonld=Markup(json.dumps(jsonld.script_json(jsonld.program_jsonld(program, settings.site_url)))),
        links_verified=links_verified,
    )


def render_content_page(page: Page, references: dict[str, Reference], glossary: dict[str, str]) -> str:
    """A hand-written page as published: citations numbered and linked to a reference list
    at its end, the glossary appended, and under a guide's title who it is for, how long
    it takes to read and when it was last reviewed."""
    cite = _MARKDOWN.get_template("citations.md.j2").module.cite  # type: ignore[attr-defined]
    body, cited = number_citations(page.body, page.citations, lambda numbers: str(cite(numbers)).strip())
    title = (title_line(body) or "") if page.guide else ""
    return _MARKDOWN.get_template("content-page.md.j2").render(
        front_matter=Markup(page.front_matter),
        title=Markup(title),
        body=Markup(body[len(title) :]),
        guide=page.guide,
        minutes=reading_minutes(page.body),
        references=[references[key] for key in cited],
        glossary=glossary,
    )


def render_redirect(program: Program, settings: SiteSettings) -> str:
    """A page at a former id's address that sends visitors (and search engines) on to the
    program's page. A plain HTML meta refresh: it works without JavaScript, on any host."""
    target = f"../{program.id}/"
    canonical = f"{settings.site_url.rstrip('/')}/programs/{program.id}/" if settings.site_url else target
    return _HTML.get_template("redirect.html.j2").render(p=program, target=target, canonical=canonical)


NOT_STATED = "Not stated in our sources"


@dataclass(frozen=True)
class Glance:
    """The answers a visitor looks for first, each worded for when the sources are silent."""

    cost: str
    privacy: str
    rhythm: str


def at_a_glance(program: Program) -> Glance:
    """Only what the record states: no feature is implied by the absence of another."""
    access = schema.vocabularies()["access"]
    formats = schema.vocabularies()["format"]
    privacy = [access.label(value) for value in ("anonymous", "confidential") if value in program.access]
    rhythm = [formats.label(value) for value in ("one-off", "ongoing", "as-needed") if value in program.format]
    return Glance(
        cost=access.label("free") if "free" in program.access else NOT_STATED,
        privacy=" and ".join(privacy[:1] + [label.lower() for label in privacy[1:]]) if privacy else NOT_STATED,
        rhythm=", ".join(rhythm) if rhythm else NOT_STATED,
    )


def _related_links(program: Program) -> list[Markup]:
    """Links from a program page to the facet pages it belongs to (pages live in programs/)."""
    professions = schema.vocabularies()["profession"]
    links = [_doc_link("../" + profession_page(value), professions.label(value)) for value in program.professions]
    links += [_doc_link("../" + country_page(country), _country_name(country)) for country in program.countries]
    return links


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


# Cards a page shows at a time: each plain-HTML page of a list (pagination.py), and each
# step of the directory's script ("Show more programs").
LISTING_PAGE = 100


def render_directory_pages(directory: Directory, listings: Listings) -> dict[str, str]:
    """The directory: page 1 (``programs/``) with the filters and the first cards, the rest
    of the plain list on ``programs/page/<n>/``, and every card in ``programs/cards.json``
    for the filters to fetch when a visitor uses them."""
    cards = [listings.cards[program.id] for program in directory.programs]
    pages = paginate(cards, LISTING_PAGE, "programs/index.md")
    label = "Pages of the directory"
    first = pages[0]
    facets = [{"key": f.key, "legend": f.legend, "match": f.match, "options": f.options(directory.programs)} for f in FACETS]
    template = listings.html(first, template=blank())
    filters = _HTML.get_template("filters.html.j2").render(
        facets=facets,
        total=len(cards),
        page=LISTING_PAGE,
        cards=posixpath.relpath(CARDS_PATH, first.url),
        card_template=template,
    )
    professions, countries = _facets(directory)
    rendered = {
        first.path: _MARKDOWN.get_template("directory.md.j2").render(
            programs=directory.programs,
            filters=Markup(filters.strip()),
            listing=listings.html(first),
            pages=_pages_nav(first, label),
            professions=[_doc_link("../" + profession_page(value), label) for value, label in professions],
            countries=[_doc_link("../" + country_page(code), name) for code, name in countries],
        )
    }
    for page in pages[1:]:
        rendered[page.path] = _MARKDOWN.get_template("directory-page.md.j2").render(
            title=f"Find peer support, page {page.number} of {page.count}",
            page=page,
            total=len(cards),
            directory=_doc_path(first.path, page.path),
            listing=listings.html(page),
            pages=_pages_nav(page, label),
        )
    rendered[CARDS_PATH] = cards_json(cards)
    return rendered


def _facets(directory: Directory) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(value, label) of every profession and every country that has at least one program."""
    served = {value for program in directory.programs for value in program.professions}
    professions = [(value, label) for value, label in schema.vocabularies()["profession"].labels.items() if value in served]
    countries = sorted({(code, _country_name(code)) for program in directory.programs for code in program.countries}, key=lambda c: c[1])
    return professions, countries


class Listings:
    """Every program's card, and each card's markup made once for each address it links
    to: a program is listed in the directory and on the page of each of its professions
    and countries, and most of those pages are as deep as each other."""

    def __init__(self, programs: tuple[Program, ...], today: datetime.date) -> None:
        self.cards = {program.id: card(program, today) for program in programs}
        self._markup: dict[tuple[str, str], Markup] = {}

    def html(self, page: ListPage[Card], template: Card | None = None) -> Markup:
        """The plain-HTML cards of one page of a list (or, with ``template``, the
        ``<template>`` the directory's script fills); their links lead from the page's
        address to programs/."""
        prefix = relative_url(page.url, "programs/").removeprefix("./")
        items = [self._markup_of(template, "")] if template else [self._markup_of(item, f"{prefix}{item.id}/") for item in page.items]
        html_text = _HTML.get_template("listing.html.j2").render(items=items, prefix=prefix, template=template is not None)
        return Markup(html_text.strip())

    def _markup_of(self, item: Card, href: str) -> Markup:
        key = (item.id, href)
        if key not in self._markup:
            self._markup[key] = Markup(_HTML.get_template("card.html.j2").render(card=item, href=href))
        return self._markup[key]


def _pages_nav(page: ListPage[Card], label: str) -> Markup:
    return Markup(_HTML.get_template("pagination.html.j2").render(page=page, label=label).strip())


def _doc_path(target: str, page_path: str) -> str:
    """A docs-dir path as a relative link from the Markdown file at ``page_path``."""
    return posixpath.relpath(target, posixpath.dirname(page_path))


def profession_page(profession: str) -> str:
    return f"for/{profession}.md"


def country_page(country: str) -> str:
    return f"in/{country.lower()}.md"


def _country_name(code: str) -> str:
    return schema.vocabularies()["region"].label(code)


def render_facet_pages(directory: Directory, listings: Listings) -> dict[str, str]:
    """One static list per profession and per country that has at least one program, split
    into pages as the directory is."""
    professions, countries = _facets(directory)
    pages: dict[str, str] = {}
    for value, label in professions:
        audience = label[0].lower() + label[1:]
        pages |= _facet_pages(
            profession_page(value),
            [p for p in directory.programs if value in p.professions],
            listings,
            title=f"Peer support for {audience}",
            description=f"Peer-support programs in the directory made for {audience}.",
            audience=audience,
            help=None,
        )
    for code, name in countries:
        place = f"the {name}" if code in _NAMED_WITH_THE else name
        pages |= _facet_pages(
            country_page(code),
            [p for p in directory.programs if code in p.countries],
            listings,
            title=f"Peer support in {place}",
            description=f"Peer-support programs for health workers available in {place}.",
            audience=f"health workers in {place}",
            help=directory.crisis.countries.get(code),
            help_name=place,
        )
    return pages


def _facet_pages(path: str, listed: list[Program], listings: Listings, title: str, **fields: Any) -> dict[str, str]:
    template = _MARKDOWN.get_template("facet.md.j2")
    pages = paginate([listings.cards[program.id] for program in listed], LISTING_PAGE, path)
    return {
        page.path: template.render(
            title=title if page.number == 1 else f"{title}, page {page.number} of {page.count}",
            total=len(listed),
            page=page,
            directory=_doc_path("programs/index.md", page.path),
            urgent_help=_doc_path("urgent-help.md", page.path),
            listing=listings.html(page),
            pages=_pages_nav(page, "Pages of this list"),
            **fields,
        )
        for page in pages
    }


# Country names that English writes with "the" ("in the Netherlands").
_NAMED_WITH_THE = {"GB", "NL", "US"}


@dataclass(frozen=True)
class _CountryEntry:
    name: str
    help: CountryHelp

    @property
    def anchor(self) -> str:
        """A stable heading id (the country code), so links to a country keep working."""
        return self.help.code.lower()


def render_urgent_help(directory: Directory) -> str:
    entries = (_CountryEntry(_country_name(code), help) for code, help in directory.crisis.countries.items())
    countries = sorted(entries, key=lambda entry: entry.name)
    return _MARKDOWN.get_template("urgent-help.md.j2").render(countries=countries, reviewed=directory.crisis.reviewed)


def render_data_formats() -> str:
    """The reference of every export, printed from the definitions the exports are written from."""
    return _MARKDOWN.get_template("data-formats.md.j2").render(
        paths={"json": JSON_PATH, "csv": CSV_PATH, "hsds": HSDS_DIR, "feed": FEED_PATH, "schema": SCHEMA_PATH},
        envelope_fields=envelope.FIELDS,
        columns=csvfile.COLUMNS,
        join=csvfile.JOIN,
        formula_starts=[json.dumps(char) for char in csvfile.FORMULA_STARTS],
        hsds_files=(hsds.ORGANIZATIONS, hsds.SERVICES),
        service_fields=hsds.SERVICE_FIELDS,
        organization_fields=hsds.ORGANIZATION_FIELDS,
        hsds_status=hsds.STATUS,
        statuses=schema.vocabularies()["status"],
        feed_entries=atom.MAX_ENTRIES,
    )


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
