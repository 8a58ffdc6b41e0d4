"""Command line: ``kb check``, ``ask`` and ``eval``.

``register(subparsers)`` adds them to the ``ambassador`` command; each handler
takes the parsed arguments and returns the exit code. ``python -m knowledge.cli``
runs them on their own.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from knowledge.engine import Engine, EngineConfig
from knowledge.loader import DEFAULT_PATH, check_kb
from knowledge.model import TOPICS


class _Fail(Exception):
    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def register(subparsers: Any) -> None:
    kb = subparsers.add_parser("kb", help="the guideline knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="COMMAND")
    kb_sub.required = True
    check = kb_sub.add_parser("check", help="validate the guideline files (file and line for each problem)")
    check.add_argument(
        "path", nargs="?", help="a folder of guideline YAML files or one file (default: from app.yaml)"
    )
    _config_option(check)
    check.set_defaults(func=cmd_kb_check)

    ask = subparsers.add_parser("ask", help="answer one question or draft post: may I post this?")
    ask.add_argument("text", nargs="+", help="the question or draft ('-' reads it from standard input)")
    ask.add_argument(
        "--lang", choices=("de", "en"), help="answer in this language instead of the detected one"
    )
    ask.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (verdict, topics, guidelines, answer, language)",
    )
    ask.add_argument("--kb", help="guideline folder or file (default: from app.yaml, else the sample)")
    _config_option(ask)
    ask.set_defaults(func=cmd_ask)

    ev = subparsers.add_parser(
        "eval", help="score the answer engine on a cases file (format of shared/eval/dev.yaml)"
    )
    ev.add_argument("file", help="the cases YAML file")
    ev.add_argument("--kb", help="guideline folder or file (default: from app.yaml, else the sample)")
    ev.add_argument("--min-verdict", type=float, help="fail below this verdict accuracy (0-1)")
    ev.add_argument("--max-wrong-go", type=int, help="fail above this many wrong 'go' answers")
    ev.add_argument("--min-topic", type=float, help="fail below this topic accuracy (0-1)")
    ev.add_argument("--min-language", type=float, help="fail below this answer-language accuracy (0-1)")
    ev.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    _config_option(ev)
    ev.set_defaults(func=cmd_eval)


def _config_option(parser: argparse.ArgumentParser) -> None:
    # Its own dest, so it never overwrites a --config the main command may have.
    parser.add_argument(
        "--config",
        dest="kb_config",
        metavar="PATH",
        help="app.yaml (default: AMBASSADOR_CONFIG or the repo's app.yaml)",
    )


def _app(args: argparse.Namespace) -> tuple[Any, Path | None]:
    """app.yaml's settings; no environment secrets are needed to answer offline."""
    import os

    from bot.config import DEFAULT_CONFIG, ConfigError, load_app_config

    explicit = (
        getattr(args, "kb_config", None)
        or getattr(args, "config", None)
        or os.environ.get("AMBASSADOR_CONFIG")
    )
    path = Path(explicit) if explicit else DEFAULT_CONFIG
    if not explicit and not path.exists():
        return None, None
    try:
        return load_app_config(path), path
    except ConfigError as exc:
        raise _Fail(str(exc)) from None


def _kb_path(args: argparse.Namespace, app: Any, config_path: Path | None) -> Path:
    from knowledge.service import kb_path

    explicit = getattr(args, "kb", None) or getattr(args, "path", None)
    if explicit:
        return Path(explicit)
    return kb_path(app, config_path) if app is not None else DEFAULT_PATH


def build_engine(args: argparse.Namespace) -> Engine:
    app, config_path = _app(args)
    path = _kb_path(args, app, config_path)
    kb, problems = check_kb(path)
    if problems or kb is None:
        raise _Fail("the knowledge base has problems (run 'kb check'):\n" + "\n".join(problems))
    return Engine(kb, EngineConfig.from_app(app) if app is not None else EngineConfig())


def _run(fn: Any, args: argparse.Namespace) -> int:
    try:
        return fn(args)
    except _Fail as exc:
        print(str(exc), file=sys.stderr)
        return exc.code


def cmd_kb_check(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        app, config_path = _app(args)
        path = _kb_path(args, app, config_path)
        kb, problems = check_kb(path)
        if problems or kb is None:
            for p in problems:
                print(p, file=sys.stderr)
            print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
            return 1
        counts = Counter(g.topic for g in kb.guidelines)
        verdicts = Counter(g.verdict for g in kb.guidelines)
        print(f"{path}: {len(kb.guidelines)} guidelines in {len(kb.files)} file(s), no problems")
        print("topics: " + ", ".join(f"{t} {counts[t]}" for t in TOPICS if counts[t]))
        print("verdicts: " + ", ".join(f"{v} {verdicts[v]}" for v in ("go", "check", "no")))
        missing = [t for t in TOPICS if not counts[t]]
        if missing:
            print("no guidelines yet for: " + ", ".join(missing))
        return 0

    return _run(run, args)


def cmd_ask(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        text = " ".join(args.text)
        if text == "-":
            text = sys.stdin.read()
        engine = build_engine(args)
        answer = engine.answer(text, args.lang)
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False))
            return 0
        print(answer.text)
        if answer.citations:
            label = "Richtlinien" if answer.language == "de" else "Guidelines"
            print(f"{label}: " + ", ".join(c.id for c in answer.citations))
        return 0

    return _run(run, args)


def cmd_eval(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        from knowledge.evaluate import CasesError, evaluate, load_cases

        try:
            cases = load_cases(args.file)
        except CasesError as exc:
            raise _Fail(str(exc)) from None
        report = evaluate(build_engine(args), cases)
        for line in report.lines(verbose=args.verbose):
            print(line)
        failed = []
        if args.min_verdict is not None and report.verdict_accuracy < args.min_verdict:
            failed.append(f"verdict accuracy below {args.min_verdict:.0%}")
        if args.max_wrong_go is not None and report.wrong_go > args.max_wrong_go:
            failed.append(f"more than {args.max_wrong_go} wrong go")
        if args.min_topic is not None and report.topic_accuracy < args.min_topic:
            failed.append(f"topic accuracy below {args.min_topic:.0%}")
        if args.min_language is not None and report.language_accuracy < args.min_language:
            failed.append(f"answer language below {args.min_language:.0%}")
        if failed:
            print("FAILED: " + "; ".join(failed), file=sys.stderr)
            return 1
        return 0

    return _run(run, args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.cli", description="Ambassador guideline knowledge base"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
