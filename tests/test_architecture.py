"""The import rules of docs/architecture.md, read from the source with `ast`.

1. Layers: a module of an app imports, at module level, only its own app and the apps below
   it in APP_ORDER. Imports inside functions (the lazy tasks ↔ services pair of one app) and
   under `if TYPE_CHECKING:` (annotations only) run later or never, so they are not counted.
2. Reads never reach for writes: no `selectors.py` imports a `services` module, anywhere in
   the file, lazily or not.

The project modules beside the apps (settings, urls, celery, launcher) wire the apps
together and may import any of them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "factdesk"
APP_ORDER = (
    "core",
    "accounts",
    "claims",
    "sources",
    "intake",
    "articles",
    "notifications",
    "public",
    "api",
    "webhooks",
    "signin",
    "checkimport",
    "exchange",
    "backups",
    "privacy",
    "demo",
)  # lowest first

LAYERS = "layers: an app imports only itself and the apps below it at module level"
READS = "reads: a selectors module never imports a services module"


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    rule: str
    detail: str
    imports_app: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.detail} ({self.rule})"


@dataclass(frozen=True)
class Import:
    module: str  # dotted, absolute
    line: int
    module_level: bool  # runs when the importing module is imported


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module, package: str) -> Iterator[Import]:
    """Every import in the file, absolute, each marked whether it runs at import time."""

    def resolve(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        return ".".join([*base, node.module] if node.module else base)

    def walk(nodes: list[ast.stmt], module_level: bool) -> Iterator[Import]:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(alias.name, node.lineno, module_level)
            elif isinstance(node, ast.ImportFrom):
                module = resolve(node)
                # `from factdesk.claims import services` imports the submodule `services`.
                for alias in node.names:
                    yield Import(f"{module}.{alias.name}", node.lineno, module_level)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from walk(node.body, False)
                yield from walk(node.orelse, module_level)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(node.body, False)
            else:
                # Class bodies, `if`, `try`, `with`: they run with the module.
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.stmt):
                        yield from walk([child], module_level)
                    elif isinstance(child, ast.excepthandler):
                        yield from walk(child.body, module_level)

    yield from walk(tree.body, True)


def violations(package_dir: Path = PACKAGE) -> list[Violation]:
    """Every broken rule under `package_dir`."""
    root = package_dir.parent
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(root)
        parts = relative.with_suffix("").parts  # ("factdesk", "claims", "selectors")
        app = parts[1] if len(parts) > 2 else None
        package = ".".join(parts[:-1])  # what a relative import is relative to
        tree = ast.parse(path.read_text(), filename=str(relative))
        for imported in _imports(tree, package):
            names = imported.module.split(".")
            target = names[1] if names[0] == package_dir.name and len(names) > 1 else None
            if (
                app in APP_ORDER
                and target in APP_ORDER
                and imported.module_level
                and APP_ORDER.index(target) > APP_ORDER.index(app)
            ):
                found.append(
                    Violation(
                        relative.as_posix(),
                        imported.line,
                        LAYERS,
                        f"{app} imports {imported.module}, but {target} is above {app}",
                        target,
                    )
                )
            if path.name == "selectors.py" and target and "services" in names[2:]:
                found.append(
                    Violation(
                        relative.as_posix(),
                        imported.line,
                        READS,
                        f"a selector imports {imported.module}",
                        target,
                    )
                )
    # One report per import statement, however many names it brings in.
    return list({(v.path, v.line, v.rule): v for v in found}.values())


def test_apps_import_only_the_apps_below_them_and_reads_never_import_writes():
    broken = violations()
    assert not broken, "Import rules broken:\n" + "\n".join(map(str, broken))


def test_the_checker_catches_each_rule(tmp_path):
    """The rules above, each broken once in a small tree, are each reported with the file,
    the line and the rule; the allowed forms are not."""
    package = tmp_path / "factdesk"
    for app in ("claims", "sources"):
        (package / app).mkdir(parents=True)
        (package / app / "__init__.py").write_text("")
    (package / "claims" / "models.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from factdesk.claims import workflow\n"
        "if TYPE_CHECKING:\n"
        "    from factdesk.sources.models import Source\n"
        "def later():\n"
        "    from factdesk.sources import tasks\n"
        "from factdesk.sources.models import Citation\n"
    )
    (package / "claims" / "selectors.py").write_text("def read():\n    from . import services\n")
    (package / "sources" / "views.py").write_text("from factdesk.claims import models\n")
    found = {(v.path, v.line, v.rule) for v in violations(package)}
    assert found == {
        ("factdesk/claims/models.py", 7, LAYERS),
        ("factdesk/claims/selectors.py", 2, READS),
    }
