"""The built site, shared by the site tests (tests/test_site.py) and the browser tests
(tests/test_site_browser.py): one strict build per test session, into a temporary folder, so the
repository's own ``_build`` is left alone.

Set ``BPLIB_SITE_HTML`` to the ``_build/html`` folder of a site built earlier (with
``jupyter-book build . -W -n --keep-going --path-output DIR``) to test that site instead of
building one; the build's own log is then not checked.
"""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """Build the book once; returns (returncode, log lines or None, html folder, seconds or None)."""
    given = os.environ.get("BPLIB_SITE_HTML")
    if given:
        html = Path(given).resolve()
        assert (html / "intro.html").is_file(), f"BPLIB_SITE_HTML={given} holds no built site (no intro.html)"
        return 0, None, html, None
    out = tmp_path_factory.mktemp("book")
    exe = Path(sys.executable).with_name("jupyter-book")
    command = [str(exe) if exe.exists() else shutil.which("jupyter-book") or "jupyter-book",
               "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, cwd=ROOT)
    seconds = time.perf_counter() - start
    log = ANSI.sub("", result.stdout + result.stderr)
    (out / "build.log").write_text(log, encoding="utf-8")
    print(f"site built in {seconds:.0f} s; log: {out / 'build.log'}")
    return result.returncode, log.splitlines(), out / "_build" / "html", seconds
