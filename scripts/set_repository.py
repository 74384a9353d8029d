"""Name the repository the book lives in, everywhere a reader meets it; or check that it is named.

    python scripts/set_repository.py OWNER/REPO            # write it (once, after creating or forking)
    python scripts/set_repository.py --check [OWNER/REPO]  # exit 1 unless every place names OWNER/REPO

The repository is written into the committed files on ``main``, so that what a student opens on
GitHub, Binder or Colab carries the real one (nothing is rewritten at publish time):

- ``_config.yml`` (``repository: url:``), from which the site's repository, issues, Binder,
  Colab and live-code buttons are made;
- the first cell of every notebook in ``chapters/`` and ``exercises/`` (blank copies included),
  the Colab-only install ``%pip install -q "backprop-companion[notebooks] @ git+https://github.com/OWNER/REPO"``
  (``scripts/setup_cell.py`` writes that cell; this script changes only its URL);
- the Binder and Colab links in ``intro.md`` and ``README.md``
  (``https://mybinder.org/v2/gh/OWNER/REPO/...``, ``https://colab.research.google.com/github/OWNER/REPO/...``).

A fork runs it once with its own name and commits the result. The publishing workflow runs
``--check`` with the repository it runs in before anything else: it fails, and prints the command
to run, if a place still names a placeholder (``OWNER/REPO``), names another repository (a fork
that has not run it yet), or the places disagree. ``--check`` without a name checks that every place
names one and the same repository and that it is not a placeholder.

Writing replaces whatever repository is there, so running it twice is harmless. Files are edited as
text: nothing but the URL changes. Exits 1 if a notebook's first cell is not the Colab install cell.
"""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when a test loads this file by its path
from notebook_files import notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAME = r"[A-Za-z0-9_.-]+"
REPOSITORY = re.compile(rf"^{NAME}/{NAME}$")
PLACEHOLDERS = {"owner/repo", "your-name/your-fork"}
CONFIG_URL = re.compile(rf"^(\s+url\s*:\s*https://github\.com/)({NAME}/{NAME})(\s*(#.*)?)$", re.MULTILINE)
INSTALL_URL = re.compile(rf"((?:backprop-companion|bplib)\[notebooks\] @ git\+https://github\.com/)({NAME}/{NAME})")
LINK_URL = re.compile(rf"(https://mybinder\.org/v2/gh/|https://colab\.research\.google\.com/github/)({NAME}/{NAME})/")
LINK_PAGES = ("intro.md", "README.md")
USAGE = "usage: python scripts/set_repository.py OWNER/REPO | --check [OWNER/REPO]"


def is_placeholder(repository):
    return repository.lower() in PLACEHOLDERS


def set_links(path, repository):
    """Rewrite every Binder and Colab link of a Markdown page; returns True if the file changed."""
    text = path.read_text(encoding="utf-8")
    new = LINK_URL.sub(rf"\g<1>{repository}/", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def set_config(path, repository):
    """Rewrite the ``repository: url:`` line of _config.yml; returns True if the file changed."""
    text = path.read_text(encoding="utf-8")
    new, count = CONFIG_URL.subn(rf"\g<1>{repository}\g<3>", text)
    if count != 1:
        raise SystemExit(f"{path}: expected one 'url: https://github.com/OWNER/REPO' line under "
                         f"'repository:'; found {count}")
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def _first_cell_lines(text, path):
    cells = json.loads(text).get("cells", [])
    source = cells[0].get("source", "") if cells else ""
    lines = [source] if isinstance(source, str) else source
    if not any(INSTALL_URL.search(line) for line in lines):
        raise ValueError(f"{path}: the first cell is not the Colab install cell "
                         f"(run python scripts/setup_cell.py)")
    return lines


def set_notebook(path, repository):
    """Rewrite the install URL in the first cell of one notebook; returns True if it changed.

    The JSON is only parsed to find the first cell: the edit itself replaces that cell's source
    lines as JSON strings in the file's text, so the file's formatting is kept byte for byte.
    """
    text = path.read_text(encoding="utf-8")
    new = text
    for line in _first_cell_lines(text, path):
        replaced = INSTALL_URL.sub(rf"\g<1>{repository}", line)
        if replaced != line:
            old_json = json.dumps(line, ensure_ascii=False)
            if old_json not in new:
                raise ValueError(f"{path}: cannot find the install line {old_json} in the file's text")
            new = new.replace(old_json, json.dumps(replaced, ensure_ascii=False))
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def named_repositories(root):
    """{place: repository} for every place that names the repository (place: a path, with a detail)."""
    found = {}
    config = (root / "_config.yml").read_text(encoding="utf-8")
    for match in CONFIG_URL.finditer(config):
        found["_config.yml (repository: url:)"] = match.group(2)
    for name in LINK_PAGES:
        if (root / name).exists():
            for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1):
                for match in LINK_URL.finditer(line):
                    found[f"{name}:{number}"] = match.group(2)
    for path in notebooks(root):
        place = f"{path.relative_to(root).as_posix()} (first cell)"
        try:
            lines = _first_cell_lines(path.read_text(encoding="utf-8"), path.relative_to(root))
        except ValueError:
            found[place] = None
            continue
        for line in lines:
            for match in INSTALL_URL.finditer(line):
                found[place] = match.group(2)
    return found


def check(root, expected=None):
    """Problems with the repository the files name (an empty list when all is well)."""
    found = named_repositories(root)
    names = sorted({name for name in found.values() if name})
    fix = expected or "YOUR-NAME/YOUR-REPOSITORY"
    command = f"run `python3 scripts/set_repository.py {fix}` in your clone, commit the result and push"
    problems = [f"{place}: not the Colab install cell (run python3 scripts/setup_cell.py)"
                for place, name in found.items() if name is None]
    if not names:
        return problems + [f"no file names the repository; {command}"]
    placeholders = [name for name in names if is_placeholder(name)]
    if placeholders:
        places = [place for place, name in found.items() if name in placeholders]
        problems.append(f"the book still names the placeholder {placeholders[0]} ({len(places)} places, e.g. "
                        f"{places[0]}); students would see it and Colab could not install the package: {command}")
    elif len(names) > 1:
        problems.append(f"the files name different repositories {names}: {command}")
    elif expected and names != [expected]:
        problems.append(f"this repository is {expected}, but the book points students at {names[0]} (a fork "
                        f"that has not been renamed yet?): {command}")
    return problems


def main(argv, root=ROOT):
    if argv and argv[0] == "--check" and len(argv) <= 2:
        expected = argv[1] if len(argv) == 2 else None
        if expected is not None and not REPOSITORY.match(expected):
            print(USAGE, file=sys.stderr)
            print(f"expected OWNER/REPO after --check; received {expected!r}", file=sys.stderr)
            return 2
        problems = check(root, expected)
        for problem in problems:
            print(f"set_repository.py --check: {problem}", file=sys.stderr)
        if not problems:
            name = next(name for name in named_repositories(root).values() if name)
            print(f"every place names https://github.com/{name}")
        return 1 if problems else 0
    if len(argv) != 1 or not REPOSITORY.match(argv[0]):
        print(USAGE, file=sys.stderr)
        print(f"expected one argument OWNER/REPO (e.g. octocat/backprop-companion); received {argv!r}",
              file=sys.stderr)
        return 2
    repository = argv[0]
    if is_placeholder(repository):
        print(f"{repository} is the placeholder; give the repository's real OWNER/REPO", file=sys.stderr)
        return 2
    changed, failed = [], []
    if set_config(root / "_config.yml", repository):
        changed.append("_config.yml")
    for name in LINK_PAGES:
        if (root / name).exists() and set_links(root / name, repository):
            changed.append(name)
    for path in notebooks(root):
        try:
            if set_notebook(path, repository):
                changed.append(str(path.relative_to(root)))
        except ValueError as error:
            failed.append(str(error))
    print(f"repository: https://github.com/{repository}; {len(changed)} file(s) changed")
    for name in changed:
        print(f"  {name}")
    for message in failed:
        print(message, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
