"""``peerdir``: the command line. I/O and exit codes live here, nowhere else.

Exit codes: 0 all good, 1 the input has problems, 2 the command was used wrongly
(or a file could not be read or written).

What only one command needs (the link checker's HTTP client and progress bar, the
interview, the issue form) is imported by that command, so that ``peerdir build`` and
``peerdir validate``, run at every save and in every pull request, start fast.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import checks, exports, scaffold
from .build import BuildFailed, build_site
from .generate import generate, load_inputs
from .output import write_atomically
from .problems import InvalidInput, Problem
from .project import Project
from .records import Directory, load_directory
from .render import SiteSettings
from .stats import directory_stats
from .upkeep import REVIEW_MONTHS, due_for_review, months_before

if TYPE_CHECKING:
    from . import interview

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
    stale = command("stale", _stale, "List the records whose last review is older than --months (the site marks them 'Review due').")
    stale.add_argument(
        "--months", type=_positive(int), default=REVIEW_MONTHS, help=f"review threshold in months (default: {REVIEW_MONTHS})"
    )
    command("stats", _stats, "Count the programs by country, profession, evaluation and status.")
    new = command("new", _new, "Create directory/<id>.yml from answers to questions (or flags), each checked as it is given.")
    new.add_argument("--no-input", action="store_true", help="ask nothing: take every answer from the flags (dates and status default)")
    fields = new.add_argument_group("answers", "Each flag answers one question. Lists take commas or repeated flags; items take 'a; b'.")
    for question in scaffold.questions():
        many = question.kind in ("choices", "list", "items")
        fields.add_argument(
            question.flag,
            dest=f"answer:{question.name}",
            action="append" if many else "store",
            metavar=_metavar(question),
            help=_flag_help(question),
        )
    from_issue = command("from-issue", _from_issue, "Turn an issue written with the suggest-a-program form into directory/<id>.yml.")
    from_issue.add_argument("body", metavar="FILE", help="the issue's body, as GitHub renders it from the form (Markdown)")
    from_issue.add_argument("--id", help="the record's id (default: made from the program name)")
    export = command("export", _export, "Write the directory's open data, as the site publishes it.")
    export.add_argument("--format", choices=tuple(exports.FOLDERS), required=True, help="hsds: Open Referral HSDS 3.0 (two files)")
    export.add_argument("--output", default=None, help="json, csv: a file (default: standard output); hsds: a folder (required)")
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
    # Unset limits keep the checker's own defaults (links.check.Settings).
    links.add_argument("--timeout", type=_positive(float), help="seconds to connect and between bytes (default: 5)")
    links.add_argument("--concurrency", type=_positive(int), help="requests at once, in all (default: 64)")
    links.add_argument("--per-host", type=_positive(int), help="requests at once to one host (default: 4)")
    links.add_argument("--deadline", type=_positive(float), help="seconds the whole run may take (default: 900)")
    links.add_argument("--ttl", type=_positive(float), default=7, help="days a working link is not asked again")
    return parser


def _metavar(question: scaffold.Question) -> str:
    if question.parts:
        return "; ".join(part.upper() for part in question.parts)
    return {"date": "YYYY-MM-DD", "choices": "VALUES", "list": "VALUES", "choice": "VALUE"}.get(question.kind, "TEXT")


def _flag_help(question: scaffold.Question) -> str:
    text = scaffold.first_sentence(question.description).rstrip(".")
    if question.vocabulary:
        text += ". Allowed: " + ", ".join(question.vocabulary.labels)
    return text.replace("%", "%%")


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {'a whole number' if kind is int else 'a number'}, found '{text}'") from None
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
    print(f"generated: {len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed", file=sys.stderr)
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


def _new(project: Project, args: argparse.Namespace) -> int:
    from . import interview

    today = datetime.date.today()
    directory, _ = load_directory(project, today)
    checker = scaffold.Checker(checks.Known(today, set(directory.references), set(directory.crisis.countries)))

    def check(answers: Mapping[str, Any], question: scaffold.Question) -> list[str]:
        return checker.problems(answers, question) + _taken(project, answers, question)

    answers: scaffold.Answers = {}
    for question in scaffold.questions():
        given = getattr(args, f"answer:{question.name}")
        value = scaffold.parse_answer(
            question, ("\n" if question.kind == "items" else ",").join(given) if isinstance(given, list) else given or ""
        )
        if value is not None:
            answers[question.name] = value
    if args.no_input:
        return _new_from_flags(project, answers, check, today)
    terminal = interview.Terminal(_prompt, lambda line: print(line, file=sys.stderr))
    keys = ", ".join(sorted(directory.references))
    notes = {"sources": f"Keys of data/references.yml: {keys}", "evaluation.references": f"Keys of data/references.yml: {keys}"}
    questions: Sequence[scaffold.Question] = scaffold.asking_order()
    for line in interview.INTRODUCTION:
        terminal.write(line)
    try:
        while True:
            interview.ask_all(questions, answers, check, lambda so_far: scaffold.defaults(so_far, today), notes, terminal)
            path, text = _new_record(project, answers)
            problems = _pending_problems(project, path, text, today)
            if not problems or not all(scaffold.question_for(problem.field) for problem in problems):
                break
            # Only the whole directory can tell (an id or website another record uses): ask those again.
            for problem in problems:
                terminal.write(f"  ! {problem.field}: {problem.message}")
            questions = [q for q in scaffold.asking_order() if any(q.owns(problem.field) for problem in problems)]
            for question in questions:
                del answers[question.name]
    except interview.InputEnded as ended:
        print(f"peerdir new: {ended}; nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    return _write_record(project, path, text, problems)


def _new_from_flags(project: Project, answers: scaffold.Answers, check: interview.Check, today: datetime.date) -> int:
    for name, value in scaffold.defaults(answers, today).items():
        answers.setdefault(name, value)
    missing = [question for question in scaffold.questions() if question.required and question.name not in answers]
    if missing:
        needed = ", ".join(f"{question.name} ({question.flag})" for question in missing)
        print(f"peerdir new: --no-input needs an answer for: {needed}", file=sys.stderr)
        return EXIT_USAGE
    problems = [
        f"{question.flag}: {problem}"
        for question in scaffold.questions()
        if question.name in answers
        for problem in check(answers, question)
    ]
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problem(s) in the answers; nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    path, text = _new_record(project, answers)
    return _write_record(project, path, text, _pending_problems(project, path, text, today))


def _from_issue(project: Project, args: argparse.Namespace) -> int:
    from . import issueform

    today = datetime.date.today()
    body = Path(args.body)
    display = project.display(body) if body.is_absolute() else body.as_posix()
    try:
        form = issueform.load_form(project.root / issueform.FORM, issueform.FORM)
    except issueform.FormProblem as broken:
        _print_problems([broken.problem], "text")
        return EXIT_USAGE
    directory, _ = load_directory(project, today)
    reading = issueform.read_issue(body.read_text(encoding="utf-8"), form, directory.references, display)
    if args.id:
        reading.answers["id"] = args.id
        del reading.located["id"]
    for name, value in scaffold.defaults(reading.answers, today).items():
        reading.answers.setdefault(name, value)
    problems = list(reading.problems)
    if "id" not in reading.answers and not problems:
        problems.append(Problem(display, reading.located["name"].line, 1, "--id", "no id can be made from this name; give one with --id"))
    if "id" in reading.answers:
        path, text = _new_record(project, reading.answers)
        if path.exists():
            exists = f"{project.display(path)} already exists: the program may be listed already (or give another --id)"
            record_problems = [Problem(project.display(path), 1, 1, "id", exists)]
        else:
            record_problems = _pending_problems(project, path, text, today)
        for problem in record_problems:
            moved = reading.relocate(problem, display)
            if moved is not None:
                problems.append(moved)
    if problems:
        _print_problems(sorted(set(problems)), "text")
        print(f"{len(problems)} problem(s) in the suggestion; nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    return _write_record(project, path, text, [])


def _prompt(text: str) -> str:
    sys.stderr.write(text)
    sys.stderr.flush()
    return sys.stdin.readline()


def _taken(project: Project, answers: Mapping[str, Any], question: scaffold.Question) -> list[str]:
    """A new record never replaces an existing file."""
    record_id = answers.get("id")
    if question.name != "id" or not isinstance(record_id, str):
        return []
    existing = project.directory / f"{record_id}.yml"
    return [f"id: {project.display(existing)} already exists; edit that file, or choose another id"] if existing.exists() else []


def _new_record(project: Project, answers: Mapping[str, Any]) -> tuple[Path, str]:
    return project.directory / f"{answers['id']}.yml", scaffold.render_record(answers)


def _pending_problems(project: Project, path: Path, text: str, today: datetime.date) -> list[Problem]:
    """The problems of a record not yet written, checked with all the others (unique ids and websites)."""
    _, problems = load_directory(project, today, {path: text})
    return [problem for problem in problems if problem.file == project.display(path)]


def _write_record(project: Project, path: Path, text: str, problems: list[Problem]) -> int:
    """Write a new record only when it is valid, and never over an existing file."""
    if problems:
        _print_problems(problems, "text")
        print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        print(f"peerdir: {project.display(path)} already exists; edit that file, or choose another id", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {project.display(path)}; preview it with `make serve`, then open a pull request.", file=sys.stderr)
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


def _check_links(project: Project, args: argparse.Namespace) -> int:
    from rich.console import Console

    from .links import report
    from .links.cache import CacheError, load_cache, save_cache
    from .links.check import Settings, user_agent
    from .links.collect import collect
    from .links.config import load_config
    from .links.run import check_links

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
    limits = {name: getattr(args, name) for name in ("timeout", "concurrency", "per_host", "deadline") if getattr(args, name) is not None}
    settings = Settings(**limits, user_agent=user_agent(str(mkdocs.get("repo_url") or "")))
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
