"""The test suites take their helpers from ``testing/``, never from ``tools/``: the developer tools
(demo, benchmark, profiler, record snapshot) may change for their own reasons without a test of the
connector noticing. Only ``benchmark_tests/`` exists to test one of them."""

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SUITES = ("unit_tests", "integration_tests", "emulator_tests", "build_tests", "testing")


def _imported_modules(path: Path) -> set[str]:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
    return imported


def test_no_test_suite_imports_the_developer_tools() -> None:
    offending = {
        str(path.relative_to(REPO_ROOT)): sorted(m for m in _imported_modules(path) if m.split(".")[0] == "tools")
        for suite in SUITES
        for path in sorted((REPO_ROOT / suite).rglob("*.py"))
    }
    assert {path: modules for path, modules in offending.items() if modules} == {}
    assert len(offending) > 50, "the suites were not found"
