"""Each stage's ``deps`` in dvc.yaml list exactly the package modules its script runs.

The imports are read from the source (every ``import`` statement, function-level ones too,
followed through ``pose/``), so a stage cannot silently miss a module that shapes its outputs,
and a module it no longer uses does not re-run it.
"""

import ast
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

# Plumbing, not followed and not listed: reading/validating params (a new params section must not
# re-run every stage; each stage names the params keys it reads instead), error types, atomic
# writes, the command-line wrapper and timing. Package __init__ files holding only a docstring are
# not modules of their own here.
PLUMBING = {"pose/params.py", "pose/errors.py", "pose/fileio.py", "pose/cli.py", "pose/timing.py"}


def module_file(name):
    """``pose.a.b`` -> its file relative to the repo (``pose/a/b.py`` or ``pose/a/b/__init__.py``), else None."""
    path = REPO.joinpath(*name.split("."))
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py").relative_to(REPO).as_posix()
    if (path / "__init__.py").is_file():
        return (path / "__init__.py").relative_to(REPO).as_posix()
    return None


def imported_files(source_file):
    """Package files ``source_file`` imports directly, as repo-relative paths."""
    tree = ast.parse((REPO / source_file).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pose.x import y`: y is a submodule, or a name defined in pose/x
            names = [f"{node.module}.{alias.name}" if module_file(f"{node.module}.{alias.name}") else node.module
                     for alias in node.names]
        else:
            continue
        found.update(module_file(name) for name in names if name.split(".")[0] == "pose")
    return {path for path in found if path}


def stage_modules(script):
    """Every package file a stage script runs, following imports through the package, minus plumbing."""
    seen, frontier = set(), [script]
    while frontier:
        for path in imported_files(frontier.pop()):
            if path not in seen and path not in PLUMBING:
                seen.add(path)
                frontier.append(path)
    return seen


def covered(module, deps):
    return any(module == dep or module.startswith(dep.rstrip("/") + "/") for dep in deps)


def check_stage(stage):
    """(modules the script imports that deps miss, package deps the script does not import)."""
    deps = [dep for dep in stage["deps"] if dep.startswith("pose/")]
    script = next(dep for dep in stage["deps"] if dep.startswith("stages/") and dep.endswith(".py"))
    modules = stage_modules(script)
    missing = sorted(module for module in modules if not covered(module, deps))
    unused = sorted(dep for dep in deps if not any(covered(module, [dep]) for module in modules))
    return missing, unused


STAGES = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]


@pytest.mark.parametrize("name", sorted(STAGES))
def test_stage_deps_match_its_imports(name):
    missing, unused = check_stage(STAGES[name])
    assert not missing, f"dvc.yaml: stage {name} imports {', '.join(missing)} but does not list it in deps"
    assert not unused, f"dvc.yaml: stage {name} lists {', '.join(unused)} in deps but never imports it"


def test_a_missing_import_is_caught():
    stage = dict(STAGES["quantize"])
    stage["deps"] = [dep for dep in stage["deps"] if dep != "pose/codec/heatmaps.py"]
    missing, _ = check_stage(stage)
    assert "pose/codec/heatmaps.py" in missing


def test_function_level_imports_are_followed():
    assert "pose/inference/person.py" in stage_modules("stages/evaluate.py")  # imported inside main()
