"""The browser's room model (static/js/play/state.js) and its helpers, tested by Node's own
test runner: the tests are tests/js/*.test.mjs (`node --test tests/js/` runs them alone)."""

import shutil
import subprocess
from pathlib import Path

from tests.conftest import require

JS_TESTS = Path(__file__).resolve().parents[1] / "js"


def test_it_passes_the_javascript_tests():
    node = shutil.which("node")
    require(node is not None, "Node.js")
    # The files by name, not the folder: how a folder argument is read has changed between
    # Node versions (a folder to search in 18 and 20, glob patterns later); names work in all.
    files = sorted(str(path) for path in JS_TESTS.glob("*.test.mjs"))
    assert files, f"no tests in {JS_TESTS}"
    done = subprocess.run(
        [node, "--test", *files],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=JS_TESTS.parents[1],
    )
    assert done.returncode == 0, f"node --test failed:\n{done.stdout}\n{done.stderr}"
