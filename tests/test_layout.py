"""The package's layout: layers import only downwards, every module says what it holds, `import kit` imports
nothing heavy, and annotation never loads the widgets (issue 19)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kit

PACKAGE = Path(kit.__file__).resolve().parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)

# what each layer may import from the kit (a module may always import its own layer)
MAY_IMPORT = {
    "base": set(),
    "arabic": {"base"},
    "extract": {"base", "arabic"},
    "io": {"base", "arabic"},
    "tables": {"io"},
    "pipeline": {"base", "arabic", "extract", "io", "tables"},
    "annotation": {"io", "pipeline", "tables"},
    "analysis": {"base", "arabic", "extract", "io", "tables", "annotation", "pipeline"},
    "viz": {"base", "extract", "analysis", "tables"},
    "dashboards": {"base", "arabic", "extract", "io", "analysis", "tables", "annotation", "viz"},
    "__main__": {"annotation", "analysis"},
}


def layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def kit_imports(path: Path) -> set[str]:
    """The layers of the kit a module imports (at its top or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kit" and node.level == 0:
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from kit import x: x is a layer, or a name of the root (__version__, submodules)
                found |= {alias.name for alias in node.names if (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").exists()}
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.add("relative import")
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("kit.")}
    return found


@pytest.mark.parametrize("path", [p for p in MODULES if p.parent != PACKAGE or p.stem not in ("__init__",)], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_layers_below_it(path):
    own = layer(path)
    wrong = kit_imports(path) - MAY_IMPORT[own] - {own}
    assert not wrong, f"kit/{path.relative_to(PACKAGE)} ({own}) imports {sorted(wrong)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_opens_with_a_paragraph_on_what_it_holds(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 12, f"kit/{path.relative_to(PACKAGE)} has no opening paragraph"


def test_the_layers_are_the_package_folders():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {"base", "arabic", "extract", "io", "analysis", "viz", "dashboards"}
    assert set(MAY_IMPORT) >= folders | {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


HEAVY = ("pandas", "numpy", "pyarrow", "plotly", "ipywidgets", "camel_tools", "sklearn", "scipy")


def test_import_kit_imports_nothing_heavy_and_touches_no_garbage_collector():
    loaded = run(f"import gc, sys; import kit; print(sorted(m for m in {HEAVY!r} if m in sys.modules), gc.get_freeze_count())")
    assert loaded == "[] 0"


def test_loading_a_corpus_never_imports_the_widgets_or_plotly():
    loaded = run("import sys, kit; kit.load(); print(sorted(m for m in ('ipywidgets', 'plotly', 'anywidget') if m in sys.modules))")
    assert loaded == "[]"


def test_the_command_line_annotates_without_importing_the_widgets(tmp_path):
    seeds = PACKAGE.parent / "seeds"
    code = ("import runpy, sys\n"
            f"sys.argv = ['kit', 'annotate', {str(seeds)!r}, '-o', {str(tmp_path)!r}, '--no-cache', '--no-progress']\n"
            "try:\n    runpy.run_module('kit', run_name='__main__')\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
            "print(sorted(m for m in ('ipywidgets', 'plotly', 'anywidget') if m in sys.modules))")
    assert run(code).splitlines()[-1] == "[]"
    assert (tmp_path / "mentions.parquet").is_file()


def test_every_public_name_resolves_to_what_its_module_defines():
    for name in kit.__all__:
        assert getattr(kit, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        kit.nothing_here
    assert kit.charts is kit.viz.charts and kit.viz.charts.timeline is kit.charts.timeline
    with pytest.raises(AttributeError, match="kit.viz.*no attribute 'missing'"):
        kit.viz.missing


def test_the_first_dashboard_freezes_the_imported_objects_once():
    frozen = run("import gc, kit; before = gc.get_freeze_count(); "
                 "c = kit.load(); kit.CorpusDashboard(c); first = gc.get_freeze_count(); kit.CorpusDashboard(c); "
                 "print(before == 0, first > 0, gc.get_freeze_count() <= first)")
    assert frozen == "True True True"


MODULE_LINES = 500
FUNCTION_LINES = 60


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MODULE_LINES, f"kit/{path.relative_to(PACKAGE)} has over {MODULE_LINES} lines: split it by concern"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > FUNCTION_LINES]
    assert not long, f"kit/{path.relative_to(PACKAGE)}: {', '.join(long)}"


def test_setup_notebook_freezes_before_a_corpus_is_loaded_and_dashboards_do_not_again():
    # frozen objects that die leave the permanent generation: a second freeze is what would make it grow
    frozen = run("import gc, kit; kit.setup_notebook(); import plotly.io as pio; first = gc.get_freeze_count(); "
                 "kit.CorpusDashboard(kit.load()); print(first > 0, gc.get_freeze_count() <= first, pio.renderers.default)")
    assert frozen == "True True plotly_mimetype"
