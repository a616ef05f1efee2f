"""The suite's own layout: shared code lives in helpers.py, factories.py and conftest.py.

A test module that imports another one runs (or hides) that module's tests in the wrong
place and ties the two together; what two modules share belongs in those shared files.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def is_test_module(name: str) -> bool:
    return name.startswith("test_") or name == "conftest"


def imported_test_modules(source: str) -> list[str]:
    """The test modules and conftest that `source`, a module of the tests package, imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        # Each imported module as its path inside the tests package; other packages' are left out.
        if isinstance(node, ast.Import):
            dotted = [alias.name.split(".") for alias in node.names]
            paths = [path[1:] for path in dotted if path[0] == "tests"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module.split(".") if node.module else []
            if node.level == 0:
                if module[:1] != ["tests"]:
                    continue
                module = module[1:]
            # `from . import test_x` and `from tests import test_x` import the modules named.
            paths = [module] if module else [[alias.name] for alias in node.names]
        else:
            continue
        found += [".".join(path) for path in paths if any(is_test_module(part) for part in path)]
    return found


def test_the_check_sees_every_way_of_importing_a_test_module():
    for source in (
        "from .test_admin import change_url",
        "from .conftest import IN_CI",
        "from . import test_admin",
        "from tests.test_open_data import csv_rows",
        "from tests import conftest",
        "import tests.test_public_pages",
    ):
        assert imported_test_modules(source), source
    shared = "from .helpers import text_of\nfrom .factories import member_of\nimport test_tools\nfrom os import path"
    assert imported_test_modules(shared) == []


def test_no_module_of_the_suite_imports_a_test_module_or_conftest():
    modules = sorted(TESTS.glob("*.py"))
    assert TESTS / "test_admin.py" in modules
    offenders = {
        path.name: imported for path in modules if (imported := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_helpers_import_without_django_being_set_up():
    # bench/load_and_faults.py reads forms with tests/helpers.py before any settings exist.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    probe = subprocess.run(
        [sys.executable, "-c", "import tests.helpers"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
