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

from . import exports
from .build import BuildFailed, build_site
from .generate import generate, load_inputs
from .output import write_atomically
from .problems import InvalidInput, Problem
from .project import Project
from .records import load_directory
from .render import SiteSettings

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

    validate = command("validate", _validate, "Check every record, guide and page and report every problem at once.")
    validate.add_argument("--format", choices=("text", "github"), default="text", help="github: workflow annotations")
    command("generate", _generate, "Write the generated pages into the docs folder (content/).")
    build = command("build", _build, "Generate, then build the site with MkDocs, replacing --site-dir only on success.")
    build.add_argument("--site-dir", default=None, help="where the built site goes (default: ROOT/site)")
    export = command("export", _export, "Write the directory's open data, as the site publishes it.")
    export.add_argument("--format", choices=tuple(exports.FOLDERS), required=True, help="hsds: Open Referral HSDS 3.0 (two files)")
    export.add_argument("--output", default=None, help="json, csv: a file (default: standard output); hsds: a folder (required)")
    return parser


def _default_root() -> str:
    """The checkout this command runs in: the nearest folder upwards that holds mkdocs.yml."""
    here = Path.cwd()
    return str(next((folder for folder in (here, *here.parents) if (folder / "mkdocs.yml").is_file()), here))


def _print_problems(problems: list[Problem], output_format: str) -> None:
    for problem in problems:
        print(problem.as_github() if output_format == "github" else str(problem))


def _validate(project: Project, args: argparse.Namespace) -> int:
    inputs, problems = load_inputs(project, datetime.date.today())
    _print_problems(problems, args.format)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return EXIT_INVALID
    print(
        f"{len(inputs.directory.programs)} records valid; {len(inputs.guides)} guides and {len(inputs.pages)} pages checked.",
        file=sys.stderr,
    )
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


def _usage(message: str) -> int:
    print(f"peerdir {message}", file=sys.stderr)
    return EXIT_USAGE


def _export(project: Project, args: argparse.Namespace) -> int:
    folder = args.format == "hsds"
    if folder and not args.output:
        return _usage("export: --format hsds writes two files; give a folder with --output")
    if args.output and Path(args.output).exists() and Path(args.output).is_dir() != folder:
        return _usage(f"export: --output {args.output} must be a {'folder' if folder else 'file'} for --format {args.format}")
    today = datetime.date.today()
    directory, problems = load_directory(project, today)
    if problems:
        _print_problems(problems, "text")
        print(f"{len(problems)} problem(s) found; nothing was exported.", file=sys.stderr)
        return EXIT_INVALID
    site_url = SiteSettings.from_mkdocs(project.site_settings()).site_url
    files = exports.export(args.format, directory, site_url, today)
    if not args.output:
        sys.stdout.write(next(iter(files.values())))
        return EXIT_OK
    output = Path(args.output)
    for name, text in files.items():
        write_atomically(output / name if folder else output, text.encode("utf-8"))
    print(f"exported {len(directory.programs)} programs to {output}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
