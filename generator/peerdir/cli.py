"""``peerdir``: the command line. I/O and exit codes live here, nowhere else.

Exit codes: 0 all good, 1 the input has problems, 2 the command was used wrongly
(or a file could not be read or written).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .build import BuildFailed, build_site
from .generate import generate
from .problems import InvalidInput, Problem
from .project import Project
from .records import Directory, load_directory
from .stats import directory_stats
from .upkeep import REVIEW_MONTHS, due_for_review, months_before

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
    stale = command("stale", _stale, "List the records whose last review is older than --months (the site marks them 'Review due').")
    stale.add_argument("--months", type=_positive, default=REVIEW_MONTHS, help=f"review threshold in months (default: {REVIEW_MONTHS})")
    command("stats", _stats, "Count the programs by country, profession, evaluation and status.")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of months (1 or more), found '{text}'")
    return int(text)


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


def _loaded(project: Project) -> Directory | None:
    """The directory, or None after printing its problems (commands that read records need them valid)."""
    directory, problems = load_directory(project, datetime.date.today())
    if problems:
        _print_problems(problems, "text")
        print(f"{len(problems)} problem(s) found; fix them first (peerdir validate).", file=sys.stderr)
        return None
    return directory


def _stale(project: Project, args: argparse.Namespace) -> int:
    directory = _loaded(project)
    if directory is None:
        return EXIT_INVALID
    today = datetime.date.today()
    due = due_for_review(directory.programs, today, args.months)
    for program in due:
        print(f"{program.file}: last reviewed {program.last_reviewed.isoformat()}: {program.name}")
    cutoff = months_before(today, args.months).isoformat()
    print(f"{len(due)} of {len(directory.programs)} records due for review (last reviewed before {cutoff}).", file=sys.stderr)
    return EXIT_OK


def _stats(project: Project, args: argparse.Namespace) -> int:
    directory = _loaded(project)
    if directory is None:
        return EXIT_INVALID
    print(f"{len(directory.programs)} programs. A program counts in every group it belongs to.")
    for tally in directory_stats(directory.programs):
        print(f"\n{tally.title}")
        for value, label, count in tally.rows:
            print(f"{count:>5}  {label} ({value})")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
