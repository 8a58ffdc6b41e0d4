"""ask's command line: ``kb check``, ``kb gaps``, ``ask`` and ``eval``.

``register(subparsers)`` adds them to the ``ambassador`` command (``Capability.cli``);
each handler takes the parsed arguments and returns the exit code.
``python -m handlers.ask.cli`` runs them on their own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_CONFIG, ConfigError, Settings, load_app_config, load_settings, validate_section
from handlers.ask.config import llm_config
from handlers.ask.records import DbRecorder, aware
from knowledge.engine import Engine, EngineConfig
from knowledge.evaluate import CasesError, evaluate, load_cases
from knowledge.findings import CUES, FINDINGS
from knowledge.index_cache import default_folder, load_cached
from knowledge.llm import Composer, LlmConfig, switched_on
from knowledge.loader import DEFAULT_PATH, KBError, check_kb
from knowledge.service import KnowledgeConfig, cache_folder, kb_path
from storage.db import Database
from storage.models import utcnow


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

    gaps = kb_sub.add_parser(
        "gaps", help="questions passed to the comms team and not answered yet, and answers marked unhelpful"
    )
    gaps.add_argument("--all", action="store_true", help="also the answered and withdrawn ones")
    gaps.add_argument(
        "--days", type=int, default=90, help="period of the unhelpful-answer summary (default 90)"
    )
    gaps.add_argument("--json", action="store_true", help="print one JSON object")
    _config_option(gaps)
    gaps.set_defaults(func=cmd_kb_gaps)

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
    ask.add_argument(
        "--offline", action="store_true", help="never use the language model, even when app.yaml enables it"
    )
    _config_option(ask)
    ask.set_defaults(func=cmd_ask)

    ev = subparsers.add_parser(
        "eval", help="score the answer engine on a cases file (format: knowledge/cases/*.yaml)"
    )
    ev.add_argument("file", help="the cases YAML file")
    ev.add_argument("--kb", help="guideline folder or file (default: from app.yaml, else the sample)")
    ev.add_argument("--min-verdict", type=float, help="fail below this verdict accuracy (0-1)")
    ev.add_argument("--max-wrong-go", type=int, help="fail above this many wrong 'go' answers")
    ev.add_argument("--min-topic", type=float, help="fail below this topic accuracy (0-1)")
    ev.add_argument("--min-language", type=float, help="fail below this answer-language accuracy (0-1)")
    ev.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    ev.add_argument(
        "--llm",
        action="store_true",
        help="score the answers composed by the language model (app.yaml llm: enabled, and a server configured)",
    )
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
    explicit = getattr(args, "kb", None) or getattr(args, "path", None)
    if explicit:
        return Path(explicit)
    return kb_path(app, config_path) if app is not None else DEFAULT_PATH


def build_engine(args: argparse.Namespace) -> Engine:
    app, config_path = _app(args)
    path = _kb_path(args, app, config_path)
    try:
        kb, retriever = load_cached(path, cache_folder(app, config_path) if app is not None else default_folder())
    except KBError as exc:
        raise _Fail("the knowledge base has problems (run 'kb check'):\n" + "\n".join(exc.problems)) from None
    return Engine(kb, EngineConfig.from_app(app) if app is not None else EngineConfig(), retriever=retriever)


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
        if app is not None and config_path is not None:
            section_problems = _check_sections(app, config_path)
            if section_problems:
                for p in section_problems:
                    print(p, file=sys.stderr)
                return 1
        counts = Counter(g.topic for g in kb.guidelines)
        verdicts = Counter(g.verdict for g in kb.guidelines)
        print(f"{path}: {len(kb.guidelines)} guidelines in {len(kb.files)} file(s), no problems")
        print("topics: " + ", ".join(f"{t} {counts[t]}" for t in kb.topic_titles if counts[t]))
        print("verdicts: " + ", ".join(f"{v} {verdicts[v]}" for v in ("go", "check", "no")))
        disclosures = " / ".join(f"{lang}: {', '.join(kb.disclosures(lang))}" for lang in ("en", "de"))
        print("disclosure in every share text: " + (disclosures if kb.disclosures("en") else "none"))
        missing = [t for t in kb.topic_titles if not counts[t]]
        if missing:
            print("no guidelines yet for: " + ", ".join(missing))
        ungoverned = [f for f in FINDINGS if f not in kb.policy and f not in CUES]
        if ungoverned:
            print("findings no guideline governs (answered 'check'): " + ", ".join(ungoverned))
        return 0

    return _run(run, args)


def _check_sections(app: Any, config_path: Path) -> list[str]:
    """app.yaml's ``knowledge:`` and ``llm:`` sections, with file and line like every config error."""
    settings = Settings(app=app, config_path=config_path, database_url="")
    problems = []
    for name, model in (("knowledge", KnowledgeConfig), ("llm", LlmConfig)):
        try:
            validate_section(settings, name, model)
        except ConfigError as exc:
            problems.extend(str(exc).splitlines())
    return problems


def _settings(args: argparse.Namespace) -> Any:
    """Settings with the environment (database, model server), as ``ambassador run`` reads them."""
    try:
        return load_settings(getattr(args, "kb_config", None) or getattr(args, "config", None))
    except ConfigError as exc:
        raise _Fail(str(exc)) from None


def _composer(args: argparse.Namespace, *, required: bool) -> Any:
    """The language model when app.yaml enables it and a server is set; None otherwise (offline)."""
    app, _ = _app(args)
    if app is None or not switched_on(app.llm):
        if required:
            raise _Fail("the language model is off: set llm.enabled: true in app.yaml")
        return None
    try:
        settings = _settings(args)
        composer = Composer.from_settings(settings, llm_config(settings))
    except ConfigError as exc:  # the message names file, line and key
        raise _Fail(str(exc)) from None
    if composer is None and required:
        raise _Fail("set OPENAI_API_KEY or OPENAI_BASE_URL to reach the language model")
    return composer


def _compose_all(composer: Any, engine: Engine, items: list[tuple[str, Any]]) -> list[Any]:
    async def run() -> list[Any]:
        try:
            return [
                await composer.compose(engine, text, answer) if answer.citations else answer
                for text, answer in items
            ]
        finally:
            await composer.aclose()

    return asyncio.run(run())


def cmd_kb_gaps(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        settings = _settings(args)
        data = asyncio.run(_gaps(settings, include_closed=args.all, days=args.days))
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=1))
            return 0
        for line in _gap_lines(data, include_closed=args.all):
            print(line)
        return 0

    return _run(run, args)


async def _gaps(settings: Any, *, include_closed: bool, days: int) -> dict[str, Any]:
    tz = ZoneInfo(settings.app.timezone)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        rec = DbRecorder(db)
        rows = await rec.gaps(include_closed=include_closed, limit=1000)
        since = utcnow() - timedelta(days=max(days, 1))
        unhelpful = await rec.unhelpful_by_guideline(since)
        unmatched, passed = await rec.unmatched_count(since)
    finally:
        await db.dispose()

    def when(value: Any) -> str | None:
        value = aware(value)
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else None

    return {
        "gaps": [
            {
                "id": g.ref,
                "status": g.status,
                "created": when(g.created_at),
                "language": g.language,
                "reason": g.reason,
                "text": g.text,
                "bot_verdict": g.verdict,
                "bot_guidelines": list(g.guideline_ids or []),
                "lead_told": when(g.notified_at),
                "lead_error": g.lead_error if g.notified_at is None else None,
                "answered": when(g.answered_at),
                "answered_by": g.answered_by_name,
                "answer": g.answer_text,
                "answer_rule": g.answer_rule,
                "asker_told": when(g.delivered_at),
            }
            for g in rows
        ],
        "days": days,
        "unhelpful_by_guideline": dict(unhelpful.most_common()),
        "unmatched_questions": unmatched,
        "unmatched_passed_on": passed,
    }


_REASONS = {"no_match": "no guideline fitted", "unhelpful": "answer marked not helpful"}


def _gap_lines(data: dict[str, Any], *, include_closed: bool) -> list[str]:
    gaps = data["gaps"]
    out = [
        f"{len(gaps)} question(s) passed to the comms team"
        + ("" if include_closed else " and not answered yet")
        + (":" if gaps else ".")
    ]
    for g in gaps:
        told = (
            f"lead told {g['lead_told']}"
            if g["lead_told"]
            else f"lead NOT reached yet ({g['lead_error'] or 'pending'})"
        )
        head = f"{g['id']}  {g['created']}  {g['language']}  {_REASONS.get(g['reason'], g['reason'])}"
        if g["status"] == "open":
            head += f"  {told}"
        else:
            head += f"  {g['status']}"
        out += ["", head]
        text = " ".join((g["text"] or "(deleted by the asker)").split())
        out.append("  " + (text if len(text) <= 500 else text[:499] + "…"))
        if g["bot_verdict"]:
            out.append(
                f"  the bot had answered: {g['bot_verdict']} ({', '.join(g['bot_guidelines']) or '-'})"
            )
        if g["status"] == "answered":
            answer = g["answer_rule"] and f"rule:{g['answer_rule']} " or ""
            answer += " ".join((g["answer"] or "").split())
            told_asker = f"asker told {g['asker_told']}" if g["asker_told"] else "asker not reached yet"
            out.append(
                f"  answered {g['answered']} by {g['answered_by'] or '-'}, {told_asker}: {answer[:300]}"
            )
        elif g["status"] == "open":
            out.append(
                f"  in chat: answer {g['id']} <your answer>   or   answer {g['id']} rule:<guideline id>"
            )
    out.append("")
    unhelpful = data["unhelpful_by_guideline"]
    out.append(
        f"answers marked not helpful in the last {data['days']} days, by cited guideline: "
        + (", ".join(f"{k} {v}" for k, v in unhelpful.items()) or "none")
    )
    out.append(
        f"questions no guideline fitted in the last {data['days']} days: {data['unmatched_questions']}"
        f" (passed on: {data['unmatched_passed_on']})"
    )
    return out


def cmd_ask(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        text = " ".join(args.text)
        if text == "-":
            text = sys.stdin.read()
        engine = build_engine(args)
        answer = engine.answer(text, args.lang)
        composer = None if args.offline else _composer(args, required=False)
        if composer is not None and answer.citations:
            answer = _compose_all(composer, engine, [(text, answer)])[0]
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
        engine = build_engine(args)
        try:
            cases = load_cases(args.file, engine.kb.topic_titles)
        except CasesError as exc:
            raise _Fail(str(exc)) from None
        answers = None
        if args.llm:
            composer = _composer(args, required=True)
            assert composer is not None
            offline = [engine.answer(c.text) for c in cases]
            answers = _compose_all(
                composer, engine, [(c.text, a) for c, a in zip(cases, offline, strict=True)]
            )
        report = evaluate(engine, cases, answers)
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
        prog="python -m handlers.ask.cli", description="Ambassador guideline knowledge base"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
