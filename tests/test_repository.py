"""The repository the book names is real: no placeholder anywhere a reader meets it, one name
everywhere, and, wherever this checkout can tell which repository it belongs to, that one.

The name is written once into the committed notebooks' first cells, ``_config.yml`` and the
Binder/Colab links of ``intro.md`` and ``README.md`` by ``scripts/set_repository.py`` (see its
docstring), so what students open on GitHub, Binder and Colab carries it. Here:

- every place names one and the same repository, and it is not a placeholder such as OWNER/REPO
  (``set_repository.py --check``, as the publishing workflow runs it);
- on GitHub Actions (``GITHUB_REPOSITORY``) or in a clone whose ``origin`` is on github.com, the
  name is that repository's: a fork that has not run ``set_repository.py`` fails here, with the
  command to run. Without either (a bare checkout, CI outside GitHub) that comparison is skipped,
  with the reason, and the publishing workflow's own check remains.
- no notebook, and neither page, shows the placeholder anywhere else (prose, outputs).
"""
import importlib.util
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GITHUB = re.compile(r"github\.com[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def script():
    spec = importlib.util.spec_from_file_location("set_repository", ROOT / "scripts" / "set_repository.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def this_repository():
    """(owner/name, where it was read) of the GitHub repository this checkout belongs to, or (None, why not)."""
    if os.environ.get("GITHUB_REPOSITORY"):
        return os.environ["GITHUB_REPOSITORY"], "GITHUB_REPOSITORY"
    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True,
                             timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        url = ""
    match = GITHUB.search(url)
    if match:
        return match.group(1), f"git remote origin ({url})"
    return None, "no GITHUB_REPOSITORY and no github.com remote 'origin'"


def test_every_place_names_one_repository_that_is_not_a_placeholder():
    module = script()
    found = module.named_repositories(ROOT)
    assert any(found.values()), "no file names the repository"
    problems = module.check(ROOT)
    assert not problems, "\n".join(problems)


def test_the_named_repository_is_this_one():
    expected, where = this_repository()
    if expected is None:
        pytest.skip(f"cannot tell which GitHub repository this checkout is ({where}); "
                    "the publishing workflow checks it against github.repository")
    problems = script().check(ROOT, expected)
    assert not problems, f"this checkout is {expected} (from {where}):\n" + "\n".join(problems)


def test_no_placeholder_anywhere_a_reader_looks():
    module = script()
    pages = [ROOT / "intro.md", ROOT / "README.md"]  # _config.yml: its URL is checked above
    notebooks = list(module.notebooks(ROOT))
    shown = [path.relative_to(ROOT).as_posix() for path in pages + notebooks
             if re.search(r"\bOWNER/REPO\b", path.read_text(encoding="utf-8"))]
    assert not shown, f"the placeholder OWNER/REPO is still in {shown}"
