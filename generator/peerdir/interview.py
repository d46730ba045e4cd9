"""Asking the scaffold's questions of a person: the one place that reads typed answers.

Each answer is checked as soon as it is given and asked again, with the validator's own
message, until it is right. An empty answer skips an optional question or takes the
default shown in brackets. Input that ends early stops the interview before anything
is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .scaffold import Answers, Question, parse_answer

Check = Callable[[Mapping[str, Any], Question], list[str]]

INTRODUCTION = (
    "Answer each question, then press Enter. An empty answer skips an optional question",
    "or takes the [default]. Write only what a source confirms. End the input (Ctrl-D) to",
    "stop without writing anything.",
)


class InputEnded(Exception):
    def __init__(self, question: Question) -> None:
        super().__init__(f"the input ended before {question.name} was answered")


@dataclass(frozen=True)
class Terminal:
    """Where questions go and answers come from: ``prompt`` shows its text and returns the
    line typed after it ("" at the end of input); ``write`` shows a line."""

    prompt: Callable[[str], str]
    write: Callable[[str], None]


def ask_all(
    questions: Iterable[Question],
    answers: Answers,
    check: Check,
    defaults: Callable[[Answers], dict[str, str]],
    notes: Mapping[str, str],
    terminal: Terminal,
) -> None:
    """Fill ``answers`` for every question; answers given in advance (flags) are kept when valid.
    ``defaults`` gives the defaults from the answers so far (the id from the name)."""
    for question in questions:
        if question.name in answers:
            problems = check(answers, question)
            if not problems:
                continue
            del answers[question.name]
            _show_problems(problems, terminal)
        ask(question, answers, check, defaults(answers).get(question.name), notes.get(question.name), terminal)


def ask(question: Question, answers: Answers, check: Check, default: str | None, note: str | None, terminal: Terminal) -> None:
    terminal.write("")
    terminal.write(f"{question.name} ({'required' if question.required else 'optional'})")
    terminal.write(f"  {question.description}")
    for line in _guide(question, note):
        terminal.write(f"  {line}")
    while True:
        text = _read(question, f"[{default}] > " if default else "> ", terminal)
        if not text.strip():
            if default:
                text = default
            elif question.required:
                terminal.write("  ! An answer is required here.")
                continue
            else:
                return
        answers[question.name] = parse_answer(question, text)
        problems = check(answers, question)
        if not problems:
            return
        del answers[question.name]
        _show_problems(problems, terminal)


def _guide(question: Question, note: str | None) -> list[str]:
    lines: list[str] = []
    if question.vocabulary:
        width = max(len(value) for value in question.vocabulary.labels)
        for number, (value, label) in enumerate(question.vocabulary.labels.items(), start=1):
            lines.append(f"{number:>3}. {value:<{width}}  {label}")
        several = ", several separated by commas" if question.kind == "choices" else ""
        lines.append(f"Answer with a number, a value or a label{several}.")
    elif question.hint:
        lines.append(question.hint)
    if question.kind == "list":
        lines.append("Separate several with commas.")
    if question.kind == "items":
        lines.append(f"One per line, written {'; '.join(question.parts)}. An empty line ends the list.")
    if note:
        lines.append(note)
    return lines


def _read(question: Question, prompt: str, terminal: Terminal) -> str:
    """One answer: a line, or for a list of items every line up to an empty one."""
    line = terminal.prompt(prompt)
    if not line:
        raise InputEnded(question)
    if question.kind != "items" or not line.strip():
        return line
    lines = [line]
    while True:
        more = terminal.prompt("  > ")
        if not more.strip():
            return "".join(lines)
        lines.append(more)


def _show_problems(problems: list[str], terminal: Terminal) -> None:
    for problem in problems:
        terminal.write(f"  ! {problem}")
