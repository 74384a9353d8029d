"""Point the book at the repository that publishes it.

    python scripts/set_repository.py OWNER/REPO

writes https://github.com/OWNER/REPO into

- ``_config.yml`` (``repository: url:``), from which the site's repository, issues, Binder,
  Colab and live-code buttons are made;
- the first cell of every notebook in ``chapters/`` and ``exercises/`` (blank copies included),
  the guarded Colab install ``%pip install -q "bplib[notebooks] @ git+https://github.com/OWNER/REPO"``;
- the Binder links to the blank exercises in ``intro.md`` (``https://mybinder.org/v2/gh/OWNER/REPO/...``).

The publishing workflow runs it with the repository it runs in, so a fork's site and notebooks
point at the fork. It replaces whatever repository is there (the placeholder ``OWNER/REPO`` or an
earlier name), so running it twice is harmless. Files are edited as text: nothing but the URL
changes. Exits 1 if a notebook's first cell is not the Colab install cell.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = ("chapters", "exercises")
NAME = r"[A-Za-z0-9_.-]+"
REPOSITORY = re.compile(rf"^{NAME}/{NAME}$")
CONFIG_URL = re.compile(rf"^(\s+url\s*:\s*)https://github\.com/{NAME}/{NAME}(\s*(#.*)?)$", re.MULTILINE)
INSTALL_URL = re.compile(rf"(bplib\[notebooks\] @ git\+https://github\.com/){NAME}/{NAME}")
BINDER_URL = re.compile(rf"(https://mybinder\.org/v2/gh/){NAME}/{NAME}/")
LINK_PAGES = ("intro.md",)


def set_links(path, repository):
    """Rewrite every Binder link of a Markdown page; returns True if the file changed."""
    text = path.read_text(encoding="utf-8")
    new = BINDER_URL.sub(rf"\g<1>{repository}/", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def set_config(path, repository):
    """Rewrite the ``repository: url:`` line of _config.yml; returns True if the file changed."""
    text = path.read_text(encoding="utf-8")
    new, count = CONFIG_URL.subn(rf"\g<1>https://github.com/{repository}\g<2>", text)
    if count != 1:
        raise SystemExit(f"{path}: expected one 'url: https://github.com/OWNER/REPO' line under "
                         f"'repository:'; found {count}")
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def set_notebook(path, repository):
    """Rewrite the install URL in the first cell of one notebook; returns True if it changed.

    The JSON is only parsed to find the first cell: the edit itself replaces that cell's source
    lines as JSON strings in the file's text, so the file's formatting is kept byte for byte.
    """
    text = path.read_text(encoding="utf-8")
    cells = json.loads(text).get("cells", [])
    source = cells[0].get("source", "") if cells else ""
    lines = [source] if isinstance(source, str) else source
    if not any(INSTALL_URL.search(line) for line in lines):
        raise ValueError(f"{path}: the first cell is not the Colab install cell "
                         f"('%pip install -q \"bplib[notebooks] @ git+https://github.com/OWNER/REPO\"')")
    new = text
    for line in lines:
        replaced = INSTALL_URL.sub(rf"\g<1>{repository}", line)
        if replaced != line:
            old_json = json.dumps(line, ensure_ascii=False)
            if old_json not in new:
                raise ValueError(f"{path}: cannot find the install line {old_json} in the file's text")
            new = new.replace(old_json, json.dumps(replaced, ensure_ascii=False))
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def notebooks(root):
    """Every notebook in chapters/ and exercises/, blank copies included (checkpoints excluded)."""
    for folder in NOTEBOOK_DIRS:
        for path in sorted((root / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts:
                yield path


def main(argv, root=ROOT):
    if len(argv) != 1 or not REPOSITORY.match(argv[0]):
        print("usage: python scripts/set_repository.py OWNER/REPO", file=sys.stderr)
        print(f"expected one argument OWNER/REPO (e.g. octocat/backprop-companion); received {argv!r}",
              file=sys.stderr)
        return 2
    repository = argv[0]
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
