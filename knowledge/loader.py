"""Reading the guideline YAML files a comms team edits by hand.

The files are composed into YAML nodes rather than loaded into plain data, so
every problem can name the file and line where it stands, and so a bare
``verdict: no`` means "no" (plain YAML would read it as false).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.findings import FINDINGS, GOVERNABLE, kind_of
from knowledge.lexicon import CONCEPTS
from knowledge.model import (
    LANGUAGES,
    TOPIC_NAMES,
    VERDICTS,
    CourseOption,
    CourseStep,
    Guideline,
    KnowledgeBase,
    TopicRules,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "guidelines"

REQUIRED = ("id", "topic", "verdict", "rule", "rationale", "instead", "triggers")
# ``signals`` is the former name of ``governs``.
# A disclosure is added to every share text, so it stays short (a tag or a few words).
DISCLOSURE_MAX = 80
OPTIONAL = ("governs", "signals", "unless", "course", "disclosure")
TEXT_PARTS = ("rule", "rationale", "instead")
# A guideline's step in the course for new ambassadors (``course:``); docs/knowledge.md.
COURSE_TEXTS = ("rule", "example", "question", "why")
COURSE_KEYS = (*COURSE_TEXTS, "options", "order")
COURSE_OPTIONS = (2, 5)  # the fewest and most answers a question offers (buttons in a chat)

# Names a guideline text may use in braces; knowledge.engine fills them in
# from app.yaml (roles, program, company).
PLACEHOLDERS = frozenset({"comms_lead", "backup", "communicators", "privacy_contact", "company", "program"})

# libyaml when PyYAML was built with it: the same nodes and marks, several times faster.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LOADER(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """Nodes without implicit types: the reader takes every value as text and never looks at a tag,
    so guessing one for each of a large knowledge base's scalars (a regex or two each) is skipped."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        if kind is yaml.ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

# What a topic's declaration may say besides id and title (model.TopicRules, docs/knowledge.md).
TOPIC_KEYS = ("id", "title", "concepts", "go_needs", "go_despite_stricter", "negation_clears_no")
# The names those lists may hold: the lexicon's concepts, and findings and their kinds.
TOPIC_NAMES_KNOWN = frozenset(CONCEPTS) | GOVERNABLE

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_TOPIC = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class KBError(Exception):
    """The knowledge base has problems; each names file and line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class _Ctx:
    file: str
    problems: list[str]
    # (topic, file, line) of every topic a guideline names, and the declared ones with their titles
    topic_uses: list[tuple[str, str, int, str]] = field(default_factory=list)
    topic_decls: list[tuple[str, dict[str, str], str, int]] = field(default_factory=list)
    topic_rules: dict[tuple[str, str, int], TopicRules] = field(default_factory=dict)

    def err(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.file}:{line}: {message}")


def kb_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_kb(path: str | Path | None = None) -> KnowledgeBase:
    """The knowledge base at ``path`` (a folder of YAML files or one file); KBError lists every problem."""
    kb, problems = check_kb(path)
    if problems or kb is None:
        raise KBError(problems)
    return kb


def check_kb(path: str | Path | None = None) -> tuple[KnowledgeBase | None, list[str]]:
    root = Path(path) if path else DEFAULT_PATH
    if not root.exists():
        return None, [f"{root}: no such file or folder"]
    files = kb_files(root)
    if not files:
        return None, [f"{root}: no .yaml files found"]
    problems: list[str] = []
    guidelines: list[Guideline] = []
    seen: dict[str, str] = {}
    uses: list[tuple[str, str, int, str]] = []
    decls: list[tuple[str, dict[str, str], str, int]] = []
    rules: dict[tuple[str, str, int], TopicRules] = {}
    for file in files:
        ctx = _Ctx(str(file), problems, uses, decls, rules)
        for g in _read_file(file, ctx):
            if g.id in seen:
                ctx.problems.append(
                    f"{g.source}:{g.line}: duplicate id {g.id!r} (first defined at {seen[g.id]})"
                )
                continue
            seen[g.id] = f"{g.source}:{g.line}"
            guidelines.append(g)
    titles = _topics(uses, decls, problems)
    _conflicts(guidelines, problems)
    if problems:
        return None, problems
    topic_rules = {t: r for (t, file, line), r in rules.items() if t in titles}
    return (
        KnowledgeBase(
            guidelines=guidelines, files=[str(f) for f in files], topic_titles=titles, topic_rules=topic_rules
        ),
        [],
    )


def _conflicts(guidelines: list[Guideline], problems: list[str]) -> None:
    """Two guidelines that govern one finding with different verdicts: the files must agree."""
    for name in FINDINGS:
        direct = [(g, v) for g in guidelines for n, v in g.governs if n == name]
        governors = direct or [(g, v) for g in guidelines for n, v in g.governs if n == kind_of(name)]
        first = governors[0] if governors else None
        for g, v in governors[1:]:
            if first is not None and v != first[1]:
                problems.append(
                    f"{g.source}:{g.line}: guideline {g.id!r} governs finding {name!r} as {v!r}, "
                    f"but {first[0].id!r} ({first[0].source}:{first[0].line}) governs it as {first[1]!r}; "
                    "give them the same verdict"
                )
                break


def _topics(
    uses: list[tuple[str, str, int, str]], decls: list[tuple[str, dict[str, str], str, int]], problems: list[str]
) -> dict[str, dict[str, str]]:
    """The declared topics and their titles; problems for a topic spelled two ways, or not declared.

    A knowledge base that declares topics (a ``topics:`` block in any file) must use only those;
    one that declares none may name any topic. "Team_Events" and "team-events" are spellings of
    "team_events": the second one met is an error, with where the first stands.
    """
    titles: dict[str, dict[str, str]] = {}
    declared_at: dict[str, str] = {}
    spelled: dict[str, tuple[str, str]] = {}

    def spelling_ok(topic: str, where: str, label: str = "") -> bool:
        key = re.sub(r"[^0-9a-z]", "", topic.lower())
        first = spelled.setdefault(key, (topic, where))
        if first[0] != topic:
            problems.append(f"{where}: {label}topic {topic!r} is spelled differently from {first[0]!r} at {first[1]}")
            return False
        if not _TOPIC.match(topic):
            problems.append(f"{where}: {label}topic {topic!r} may hold only lower-case letters, digits, '_' and '-'")
            return False
        return True

    for topic, names, file, line in decls:
        where = f"{file}:{line}"
        if topic in declared_at:
            problems.append(f"{where}: topic {topic!r} is declared twice (first at {declared_at[topic]})")
            continue
        if spelling_ok(topic, where):
            declared_at[topic] = where
            titles[topic] = names
    for topic, file, line, label in uses:
        where = f"{file}:{line}"
        if not spelling_ok(topic, where, f"{label}: "):
            continue
        if declared_at and topic not in declared_at:
            problems.append(
                f"{where}: {label}: unknown topic {topic!r} (declared: {', '.join(declared_at)}; "
                "add it to a 'topics:' list to start a new one)"
            )
    return titles


def _read_file(file: Path, ctx: _Ctx) -> Iterable[Guideline]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        ctx.problems.append(f"{file}:1: cannot read the file ({exc})")
        return []
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        ctx.problems.append(f"{file}:{line}: {problem}")
        return []
    if root is None:
        ctx.problems.append(f"{file}:1: the file is empty; it needs a 'guidelines:' list")
        return []
    if not isinstance(root, yaml.MappingNode):
        ctx.err(root, "the file must hold a mapping with a 'guidelines:' list")
        return []
    items = topics = None
    for key, value in root.value:
        if key.value == "guidelines":
            items = value
        elif key.value == "topics":
            topics = value
        else:
            ctx.err(key, f"unknown key {key.value!r} (only 'topics' and 'guidelines' are allowed at the top)")
    if topics is not None:
        _read_topics(topics, ctx)
    if items is None:
        if topics is None:
            ctx.err(root, "missing 'guidelines:' list")
        return []
    if not isinstance(items, yaml.SequenceNode):
        ctx.err(items, "'guidelines' must be a list of guidelines (each item starts with '- id: ...')")
        return []
    out = []
    for item in items.value:
        g = _guideline(item, ctx)
        if g is not None:
            out.append(g)
    return out


def _read_topics(node: yaml.Node, ctx: _Ctx) -> None:
    """``topics: [{id: privacy, title: {de: ..., en: ...}}, ...]``."""
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, "'topics' must be a list of topics (each item starts with '- id: ...')")
        return
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            ctx.err(item, "a topic must be a mapping (id:, title:)")
            continue
        fields = {k.value: (k, v) for k, v in item.value}
        for name, (key, _) in fields.items():
            if name not in TOPIC_KEYS:
                ctx.err(key, f"unknown key {name!r} in a topic (known: {', '.join(TOPIC_KEYS)})")
        if "id" not in fields or "title" not in fields:
            ctx.err(item, f"a topic needs {' and '.join(k for k in ('id', 'title') if k not in fields)}")
            continue
        topic = _scalar(fields["id"][1], ctx, "topic id")
        title = _bilingual_text(fields["title"][1], ctx, f"topic {topic!r}: title")
        before = len(ctx.problems)
        lists = {
            key: _names(fields[key][1], ctx, f"topic {topic!r}: {key}") if key in fields else ()
            for key in ("concepts", "go_needs", "go_despite_stricter")
        }
        negation = False
        if "negation_clears_no" in fields:
            node = fields["negation_clears_no"][1]
            value = _scalar(node, ctx, f"topic {topic!r}: negation_clears_no")
            if value is not None and value.lower() not in ("true", "false", "yes", "no"):
                ctx.err(node, f"topic {topic!r}: negation_clears_no must be true or false, not {value!r}")
            negation = value is not None and value.lower() in ("true", "yes")
        if topic and title and len(ctx.problems) == before:
            line = item.start_mark.line + 1
            ctx.topic_decls.append((topic, title, ctx.file, line))
            ctx.topic_rules[(topic, ctx.file, line)] = TopicRules(
                concepts=tuple(lists["concepts"]),
                go_needs=frozenset(lists["go_needs"]),
                go_despite_stricter=frozenset(lists["go_despite_stricter"]),
                negation_clears_no=negation,
            )


def _names(node: yaml.Node, ctx: _Ctx, what: str) -> tuple[str, ...]:
    """A list of lexicon concepts or findings, each known; problems name the line of the unknown one."""
    return _name_list(
        node,
        ctx,
        what,
        TOPIC_NAMES_KNOWN,
        f"{what} must be a list of names",
        lambda name: f"{what}: unknown name {name!r} (a lexicon concept or a finding; see docs/knowledge.md)",
    )


def _name_list(
    node: yaml.Node,
    ctx: _Ctx,
    what: str,
    known: frozenset[str],
    not_a_list: str,
    unknown: Callable[[str], str],
    once: bool = True,
) -> tuple[str, ...]:
    """A YAML list of known names; each problem names its line. ``once``: a name given twice is a problem."""
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, not_a_list)
        return ()
    out: list[str] = []
    for item in node.value:
        name = _scalar(item, ctx, f"{what} item")
        if name is None:
            continue
        if name not in known:
            ctx.err(item, unknown(name))
            continue
        if once and name in out:
            ctx.err(item, f"{what}: {name!r} appears twice")
            continue
        out.append(name)
    return tuple(out)


def _scalar(node: yaml.Node, ctx: _Ctx, what: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        ctx.err(node, f"{what} must be a single value")
        return None
    value = str(node.value).strip()
    if not value:
        ctx.err(node, f"{what} is empty")
        return None
    return value


def _placeholders_ok(node: yaml.Node, value: str, ctx: _Ctx, what: str) -> bool:
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError as exc:
        ctx.err(node, f"{what}: unbalanced braces ({exc}); write {{{{ and }}}} for a literal brace")
        return False
    unknown = sorted(n for n in names if n not in PLACEHOLDERS)
    if unknown:
        ctx.err(
            node, f"{what}: unknown placeholder {{{unknown[0]}}} (known: {', '.join(sorted(PLACEHOLDERS))})"
        )
        return False
    return True


def _bilingual_text(node: yaml.Node, ctx: _Ctx, what: str) -> dict[str, str] | None:
    if not isinstance(node, yaml.MappingNode):
        ctx.err(node, f"{what} must have a 'de:' and an 'en:' text")
        return None
    out: dict[str, str] = {}
    ok = True
    for key, value in node.value:
        if key.value not in LANGUAGES:
            ctx.err(key, f"{what}: unknown language {key.value!r} (use de and en)")
            ok = False
            continue
        text = _scalar(value, ctx, f"{what}.{key.value}")
        if text is None or not _placeholders_ok(value, text, ctx, f"{what}.{key.value}"):
            ok = False
            continue
        out[key.value] = " ".join(text.split())
    for lang in LANGUAGES:
        if lang not in out and ok:
            ctx.err(node, f"{what}: missing language {lang!r}")
            ok = False
    return out if ok else None


def _bilingual_list(node: yaml.Node, ctx: _Ctx, what: str) -> dict[str, tuple[str, ...]] | None:
    if not isinstance(node, yaml.MappingNode):
        ctx.err(node, f"{what} must have a 'de:' and an 'en:' list of phrases")
        return None
    out: dict[str, tuple[str, ...]] = {}
    ok = True
    for key, value in node.value:
        if key.value not in LANGUAGES:
            ctx.err(key, f"{what}: unknown language {key.value!r} (use de and en)")
            ok = False
            continue
        if not isinstance(value, yaml.SequenceNode) or not value.value:
            ctx.err(value, f"{what}.{key.value} must be a non-empty list of phrases")
            ok = False
            continue
        phrases = []
        for item in value.value:
            phrase = _scalar(item, ctx, f"{what}.{key.value} item")
            if phrase is None:
                ok = False
            else:
                phrases.append(phrase)
        out[key.value] = tuple(phrases)
    for lang in LANGUAGES:
        if lang not in out and ok:
            ctx.err(node, f"{what}: missing language {lang!r}")
            ok = False
    return out if ok else None


def _guideline(node: yaml.Node, ctx: _Ctx) -> Guideline | None:
    if not isinstance(node, yaml.MappingNode):
        ctx.err(node, "a guideline must be a mapping (id:, topic:, verdict:, rule:, ...)")
        return None
    fields: dict[str, yaml.Node] = {}
    before = len(ctx.problems)
    for key, value in node.value:
        name = key.value
        if name not in REQUIRED and name not in OPTIONAL:
            ctx.err(key, f"unknown key {name!r} (known: {', '.join(REQUIRED + OPTIONAL)})")
        elif name in fields:
            ctx.err(key, f"key {name!r} appears twice in this guideline")
        else:
            fields[name] = value
    label = "guideline"
    gid = None
    if "id" in fields:
        gid = _scalar(fields["id"], ctx, "id")
        if gid is not None and not _ID.match(gid):
            ctx.err(fields["id"], f"id {gid!r} may hold only lower-case letters, digits, '.', '-' and '_'")
            gid = None
        if gid:
            label = f"guideline {gid!r}"
    missing = [k for k in REQUIRED if k not in fields]
    if missing:
        ctx.err(node, f"{label}: missing {', '.join(missing)}")
    topic = verdict = None
    if "topic" in fields:
        topic = _scalar(fields["topic"], ctx, "topic")
        if topic is not None:
            ctx.topic_uses.append((topic, ctx.file, fields["topic"].start_mark.line + 1, label))
    if "verdict" in fields:
        verdict = _scalar(fields["verdict"], ctx, "verdict")
        if verdict is not None:
            verdict = verdict.lower()
            if verdict not in VERDICTS:
                ctx.err(fields["verdict"], f"{label}: verdict must be go, check or no, not {verdict!r}")
    texts = {
        part: _bilingual_text(fields[part], ctx, f"{label}: {part}") for part in TEXT_PARTS if part in fields
    }
    triggers = (
        _bilingual_list(fields["triggers"], ctx, f"{label}: triggers") if "triggers" in fields else None
    )
    governs: tuple[tuple[str, str], ...] = ()
    if "governs" in fields and "signals" in fields:
        ctx.err(fields["signals"], f"{label}: 'signals' is the former name of 'governs'; keep one of them")
    gov_node = fields.get("governs") or fields.get("signals")
    if gov_node is not None and verdict in VERDICTS:
        governs = _governs(gov_node, verdict, ctx, label)
    course = _course(fields["course"], ctx, label) if "course" in fields else None
    unless: tuple[str, ...] = ()
    if "unless" in fields:
        unless = _unless(fields["unless"], ctx, label)
    disclosure = _disclosure(fields["disclosure"], ctx, label) if "disclosure" in fields else None
    if len(ctx.problems) > before:
        return None
    assert gid and topic and verdict and triggers is not None
    return Guideline(
        id=gid,
        topic=topic,
        verdict=verdict,  # type: ignore[arg-type]
        rule=texts["rule"],  # type: ignore[arg-type]
        rationale=texts["rationale"],  # type: ignore[arg-type]
        instead=texts["instead"],  # type: ignore[arg-type]
        triggers=triggers,
        governs=governs,  # type: ignore[arg-type]
        course=course,
        unless=frozenset(unless),
        disclosure=disclosure,
        source=ctx.file,
        line=node.start_mark.line + 1,
    )


def _disclosure(node: yaml.Node, ctx: _Ctx, label: str) -> dict[str, str] | None:
    """``disclosure: {en: "#employee", de: "#mitarbeiter"}``: what every share text the bot offers must carry."""
    texts = _bilingual_text(node, ctx, f"{label}: disclosure")
    if texts is None:
        return None
    for lang, text in texts.items():
        if not text or len(text) > DISCLOSURE_MAX:
            ctx.err(node, f"{label}: disclosure.{lang} must be 1 to {DISCLOSURE_MAX} characters")
            return None
    return texts


def _unless(node: yaml.Node, ctx: _Ctx, label: str) -> tuple[str, ...]:
    """``unless: [disclosed]``: findings or cues (or their kinds) that take the guideline out of an answer."""
    return _name_list(
        node,
        ctx,
        f"{label}: unless",
        GOVERNABLE,
        f"{label}: unless must be a list of findings or cues",
        lambda name: f"{label}: unless: unknown finding {name!r} (known: {', '.join(sorted(FINDINGS))})",
        once=False,
    )


def _governs(node: yaml.Node, verdict: str, ctx: _Ctx, label: str) -> tuple[tuple[str, str], ...]:
    """``governs: [figures, {contact_details: check}]``: findings, each with the guideline's verdict or its own."""
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, f"{label}: governs must be a list of findings (a name, or 'name: verdict')")
        return ()
    out: list[tuple[str, str]] = []
    for item in node.value:
        value_node: yaml.Node | None = None
        if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
            key_node, value_node = item.value[0]
            name = _scalar(key_node, ctx, "finding")
            own = _scalar(value_node, ctx, "verdict") if value_node is not None else None
        else:
            name, own = _scalar(item, ctx, "finding"), None
        if name is None:
            continue
        if name not in GOVERNABLE:
            ctx.err(
                item,
                f"{label}: unknown finding {name!r} (known: {', '.join(sorted(FINDINGS))}; "
                "or a kind of them: see docs/knowledge.md)",
            )
            continue
        if value_node is not None:
            if own is None:
                continue
            own = own.lower()
            if own not in VERDICTS:
                ctx.err(value_node, f"{label}: the verdict for {name!r} must be go, check or no, not {own!r}")
                continue
        if any(n == name for n, _ in out):
            ctx.err(item, f"{label}: finding {name!r} appears twice in governs")
            continue
        out.append((name, own or verdict))
    return tuple(out)


def _course(node: yaml.Node, ctx: _Ctx, label: str) -> CourseStep | None:
    """``course: {rule, example, question, options: [{de, en, right}], why, order}``, each text in de and en."""
    what = f"{label}: course"
    if not isinstance(node, yaml.MappingNode):
        ctx.err(node, f"{what} must be a mapping with {', '.join(COURSE_TEXTS[:3])}, options and why")
        return None
    before = len(ctx.problems)
    fields: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if key.value not in COURSE_KEYS:
            ctx.err(key, f"{what}: unknown key {key.value!r} (known: {', '.join(COURSE_KEYS)})")
        elif key.value in fields:
            ctx.err(key, f"{what}: key {key.value!r} appears twice")
        else:
            fields[key.value] = value
    missing = [k for k in (*COURSE_TEXTS[:3], "options", "why") if k not in fields]
    if missing:
        ctx.err(node, f"{what}: missing {', '.join(missing)}")
    texts = {part: _bilingual_text(fields[part], ctx, f"{what}.{part}") for part in COURSE_TEXTS if part in fields}
    options = _course_options(fields["options"], ctx, what) if "options" in fields else None
    order = 0
    if "order" in fields:
        raw = _scalar(fields["order"], ctx, f"{what}.order")
        if raw is not None:
            if raw.isdigit() and int(raw) >= 1:
                order = int(raw)
            else:
                ctx.err(fields["order"], f"{what}.order must be a whole number from 1 up, not {raw!r}")
    if len(ctx.problems) > before or options is None:
        return None
    return CourseStep(rule=texts["rule"], example=texts["example"], question=texts["question"],  # type: ignore[arg-type]
                      options=options, why=texts["why"], order=order)  # type: ignore[arg-type]


def _course_options(node: yaml.Node, ctx: _Ctx, what: str) -> tuple[CourseOption, ...] | None:
    """The answers to a course question: each ``- de: ... en: ...``, exactly one with ``right: true``."""
    fewest, most = COURSE_OPTIONS
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, f"{what}.options must be a list of answers (each '- de: ... en: ...', the right one with 'right: true')")
        return None
    if not fewest <= len(node.value) <= most:
        ctx.err(node, f"{what}.options: a question needs {fewest} to {most} answers, not {len(node.value)}")
        return None
    out: list[CourseOption] = []
    ok = True
    first_right: yaml.Node | None = None
    for n, item in enumerate(node.value, 1):
        where = f"{what}.options answer {n}"
        if not isinstance(item, yaml.MappingNode):
            ctx.err(item, f"{where} must have a 'de:' and an 'en:' text (and 'right: true' on the right one)")
            ok = False
            continue
        right = False
        rest = []
        for key, value in item.value:
            if key.value != "right":
                rest.append((key, value))
                continue
            flag = str(value.value).strip().lower() if isinstance(value, yaml.ScalarNode) else ""
            if flag not in ("true", "false", "yes", "no"):
                ctx.err(value, f"{where}: right must be true or false, not {flag or 'a list'!r}")
                ok = False
            right = flag in ("true", "yes")
        if right and first_right is not None:
            ctx.err(item, f"{where} is marked right, and so is answer at line {first_right.start_mark.line + 1}; "
                          "a question has exactly one right answer")
            ok = False
        elif right:
            first_right = item
        text = _bilingual_text(yaml.MappingNode(item.tag, rest, item.start_mark, item.end_mark), ctx, where)
        if text is None:
            ok = False
            continue
        out.append(CourseOption(text=text, right=right))
    if ok and first_right is None:
        ctx.err(node, f"{what}: no answer is marked right (add 'right: true' to the right one)")
        ok = False
    return tuple(out) if ok else None


# The topic titles, read before any knowledge base was loaded, load the default one's.
TOPIC_NAMES.load = check_kb
