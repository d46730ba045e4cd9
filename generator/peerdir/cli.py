"""``peerdir``: the command line. I/O and exit codes live here, nowhere else.

Exit codes: 0 all good, 1 the input has problems, 2 the command was used wrongly
(or a file could not be read or written).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from .build import BuildFailed, build_site
from .generate import generate
from .links import report
from .links.cache import CacheError, load_cache, save_cache
from .links.check import Settings, user_agent
from .links.collect import collect
from .links.config import load_config
from .links.run import check_links
from .output import write_atomically
from .problems import InvalidInput, Problem
from .project import Project
from .records import load_directory

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    project = Project(Path(args.root))
    if not project.directory.is_dir():
        parser.exit(EXIT_USAGE, f"peerdir: {project.root} has no directory/ folder of records (use --root)\n")
    try:
        code: int = args.handler(project, args)
    except OSError as error:
        print(f"peerdir: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    return code


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=_default_root(), help="the checkout to work on (default: this one)")
    parser = argparse.ArgumentParser(prog="peerdir", description="Peer-support directory tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[Project, argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    validate = command("validate", _validate, "Check every record and report every problem at once.")
    validate.add_argument("--format", choices=("text", "github"), default="text", help="github: workflow annotations")
    command("generate", _generate, "Write the generated pages into the docs folder (content/).")
    build = command("build", _build, "Generate, then build the site with MkDocs, replacing --site-dir only on success.")
    build.add_argument("--site-dir", default=None, help="where the built site goes (default: ROOT/site)")
    links = command(
        "check-links",
        _check_links,
        "Check every external link. Exit 0: nothing broken; 1: a link is broken (failing in runs a day apart); "
        "2: usage, configuration or record errors (nothing was checked).",
    )
    links.add_argument("--site", metavar="DIR", help="also check the links of a built site (e.g. site/)")
    links.add_argument("--cache", metavar="FILE", help="memory across runs (default: ROOT/.cache/links.json)")
    links.add_argument("--config", metavar="FILE", help="exclusions and accepted statuses (default: ROOT/links.yml)")
    links.add_argument("--format", choices=("text", "markdown", "json", "github"), default="text", help="the report's form")
    links.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    links.add_argument("--timeout", type=_positive(float), default=Settings.timeout, help="seconds to connect and between bytes")
    links.add_argument("--concurrency", type=_positive(int), default=Settings.concurrency, help="requests at once, in all")
    links.add_argument("--per-host", type=_positive(int), default=Settings.per_host, help="requests at once to one host")
    links.add_argument("--deadline", type=_positive(float), default=Settings.deadline, help="seconds the whole run may take")
    links.add_argument("--ttl", type=_positive(float), default=7, help="days a working link is not asked again")
    return parser


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} must be more than 0")
        return value

    return parse


def _default_root() -> str:
    """The checkout this command runs in: the nearest folder upwards that holds mkdocs.yml."""
    here = Path.cwd()
    return str(next((folder for folder in (here, *here.parents) if (folder / "mkdocs.yml").is_file()), here))


def _print_problems(problems: list[Problem], output_format: str) -> None:
    for problem in problems:
        print(problem.as_github() if output_format == "github" else str(problem))


def _validate(project: Project, args: argparse.Namespace) -> int:
    directory, problems = load_directory(project, datetime.date.today())
    _print_problems(problems, args.format)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return EXIT_INVALID
    print(f"{len(directory.programs)} records valid.", file=sys.stderr)
    return EXIT_OK


def _generate(project: Project, args: argparse.Namespace) -> int:
    try:
        report = generate(project)
    except InvalidInput as invalid:
        _print_problems(invalid.problems, "text")
        print(f"{len(invalid.problems)} problem(s) found; nothing was generated.", file=sys.stderr)
        return EXIT_INVALID
    print(f"generated: {len(report.written)} written, {report.unchanged} unchanged, {len(report.removed)} removed", file=sys.stderr)
    return EXIT_OK


def _build(project: Project, args: argparse.Namespace) -> int:
    site_dir = Path(args.site_dir) if args.site_dir else project.root / "site"
    try:
        build_site(project, site_dir)
    except InvalidInput as invalid:
        _print_problems(invalid.problems, "text")
        print(f"{len(invalid.problems)} problem(s) found; the site was not built.", file=sys.stderr)
        return EXIT_INVALID
    except BuildFailed as failed:
        print(f"peerdir: {failed}", file=sys.stderr)
        return EXIT_INVALID
    print(f"site built into {site_dir}", file=sys.stderr)
    return EXIT_OK


def _check_links(project: Project, args: argparse.Namespace) -> int:
    config_path = Path(args.config) if args.config else project.links_config
    if args.config and not config_path.is_file():
        print(f"peerdir: no configuration file at {config_path}", file=sys.stderr)
        return EXIT_USAGE
    site_dir = Path(args.site) if args.site else None
    if site_dir is not None and not site_dir.is_dir():
        print(f"peerdir: no built site at {site_dir} (build it with peerdir build)", file=sys.stderr)
        return EXIT_USAGE
    config, problems = load_config(config_path, project.display(config_path))
    directory, record_problems = load_directory(project, datetime.date.today())
    problems += record_problems
    cache_path = Path(args.cache) if args.cache else project.links_cache
    try:
        cache = load_cache(cache_path, project.display(cache_path))
    except CacheError as damaged:
        problems.append(damaged.problem)
    if problems:
        _print_problems(problems, "text")
        print(f"{len(problems)} problem(s) found; no link was checked.", file=sys.stderr)
        return EXIT_USAGE
    mkdocs = project.site_settings()
    links = collect(project, directory, site_dir, str(mkdocs.get("site_url") or ""))
    settings = Settings(
        timeout=args.timeout,
        concurrency=args.concurrency,
        per_host=args.per_host,
        deadline=args.deadline,
        user_agent=user_agent(str(mkdocs.get("repo_url") or "")),
    )
    now = datetime.datetime.now(datetime.UTC)
    progress = functools.partial(report.progress, Console(stderr=True))
    outcome = check_links(links, config, cache, settings, now, datetime.timedelta(days=args.ttl), progress)
    save_cache(cache_path, outcome.cache)
    rendered = report.render(outcome, args.format)
    if args.output:
        write_atomically(Path(args.output), rendered.encode("utf-8"))
        print(f"Links: {report.counts(outcome)}; report in {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(rendered)
    return EXIT_INVALID if outcome.broken else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
