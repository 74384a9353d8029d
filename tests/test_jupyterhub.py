"""The JupyterHub launch button (``launch_buttons: jupyterhub_url:`` in _config.yml).

A course on its own JupyterHub sets ``jupyterhub_url`` to the hub's address; every notebook page
then gets a JupyterHub button whose link is an nbgitpuller link. nbgitpuller (installed on the hub)
serves ``HUB/hub/user-redirect/git-pull`` and reads three query parameters
(https://nbgitpuller.readthedocs.io/en/latest/topic/url-options.html, and its link generator,
docs/_static/link_gen/link.js):

- ``repo``: the repository to clone, here ``repository: url:`` of _config.yml;
- ``branch``: the branch to pull, ``repository: branch:``;
- ``urlpath``: where to send the student afterwards, relative to the server's root: ``lab/tree/``
  (JupyterLab) or ``tree/`` (classic notebook), then the folder nbgitpuller cloned into (the last
  part of ``repo``: ``repo.split('/')[-1]`` in nbgitpuller/handlers.py), then the notebook's path
  in the repository.

The link is checked on a tiny book (one notebook in ``chapters/``, not executed) built strictly
with this repository's ``repository:`` and ``launch_buttons:`` settings: once with a hub set, once
with the committed value, "", which must give no JupyterHub link and no warning.
"""
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HUB = "https://hub.example.edu"
NOTEBOOK = "chapters/01_tiny.ipynb"  # a notebook in a folder, as the book's chapters are
INTERFACE_PREFIX = {"jupyterlab": "lab/tree", "classic": "tree"}  # nbgitpuller's link generator
ENCODED = re.compile(r"^(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})*$")  # unreserved characters, "/" and %XX


def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


class Links(HTMLParser):
    """Every ``<a href>`` of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def build(book, jupyterhub_url):
    """A tiny book with this repository's repository: and launch_buttons: settings (jupyterhub_url
    replaced), built with -W -n; returns (returncode, log, every link of the notebook's page)."""
    settings = config()
    launch_buttons = dict(settings["launch_buttons"], jupyterhub_url=jupyterhub_url)
    book.mkdir()
    (book / "_config.yml").write_text(yaml.safe_dump({
        "title": "Tiny",
        "execute": {"execute_notebooks": "off"},
        "repository": settings["repository"],
        "launch_buttons": launch_buttons,
    }), encoding="utf-8")
    (book / "intro.md").write_text("# Intro\n", encoding="utf-8")
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: intro\nchapters:\n  - file: {NOTEBOOK[:-6]}\n",
                                   encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter"), nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (book / NOTEBOOK).parent.mkdir(parents=True)
    nbformat.write(nb, book / NOTEBOOK)
    exe = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(exe), "build", str(book), "--path-output", str(book / "out"), "-W", "-n"],
                            capture_output=True, text=True, timeout=600, cwd=book)
    log = ANSI.sub("", result.stdout + result.stderr)
    page = book / "out" / "_build" / "html" / NOTEBOOK.replace(".ipynb", ".html")
    links = Links()
    if page.is_file():
        links.feed(page.read_text(encoding="utf-8"))
    return result.returncode, log, links.hrefs


def git_pull_links(hrefs):
    return [href for href in hrefs if "git-pull" in href or "user-redirect" in href]


def test_the_setting_is_there_and_a_string():
    """The key is in _config.yml, so turning the button on is one setting: an empty string (off,
    as committed) or a hub's address. A bare ``jupyterhub_url:`` (null) is not a string, and the
    theme calls .strip() on it. (A fork that sets its hub still passes.)"""
    launch_buttons = config()["launch_buttons"]
    assert "jupyterhub_url" in launch_buttons, "launch_buttons: has no jupyterhub_url: key"
    value = launch_buttons["jupyterhub_url"]
    assert value == "" or (isinstance(value, str) and re.match(r"^https?://[^/\s]+", value)), (
        f"jupyterhub_url is {value!r}; it must be \"\" (no button) or the hub's address, https://...")
    assert launch_buttons.get("notebook_interface", "classic") in INTERFACE_PREFIX


@pytest.mark.site
def test_the_jupyterhub_link_is_the_one_nbgitpuller_expects(tmp_path):
    returncode, log, hrefs = build(tmp_path / "book", HUB + "/")  # a trailing slash is dropped
    assert returncode == 0, log[-3000:]
    links = git_pull_links(hrefs)
    assert len(links) == 1, f"expected one JupyterHub link on {NOTEBOOK}'s page, found {links}"
    link = links[0]

    settings = config()
    repo = settings["repository"]["url"]
    branch = settings["repository"]["branch"]
    book_path = settings["repository"].get("path_to_book", "").strip("/")
    notebook = f"{book_path}/{NOTEBOOK}" if book_path else NOTEBOOK
    prefix = INTERFACE_PREFIX[settings["launch_buttons"].get("notebook_interface", "classic")]
    expected = {"repo": repo, "branch": branch,
                "urlpath": f"{prefix}/{repo.rstrip('/').split('/')[-1]}/{notebook}"}

    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull"), link
    assert not parts.fragment, link
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert query == {key: [value] for key, value in expected.items()}, link
    # Properly encoded: each raw value is unreserved characters, "/" and %XX escapes only, so that
    # nothing in it (":" "&" "?" "#" "+" spaces) can be read as a separator or be changed by decoding.
    for pair in parts.query.split("&"):
        key, raw = pair.split("=", 1)
        assert ENCODED.match(raw), f"{key}={raw} is not percent-encoded: {link}"
        assert unquote(raw) == expected[key], link


@pytest.mark.site
def test_the_empty_setting_gives_no_jupyterhub_link_and_no_warning(tmp_path):
    """The committed value, "": no JupyterHub link, and nothing to warn about in the strict build."""
    returncode, log, hrefs = build(tmp_path / "book", "")
    assert returncode == 0, log[-3000:]  # -W: a warning would have failed the build
    assert "WARNING" not in log, log[-3000:]
    assert hrefs, "the notebook's page was not built"
    assert not git_pull_links(hrefs), git_pull_links(hrefs)
    # the page does carry the other launch buttons, so it is one a JupyterHub link would be on
    others = [url.rstrip("/") for key, url in config()["launch_buttons"].items()
              if key.endswith("_url") and key != "jupyterhub_url" and url]
    if others:
        assert any(href.startswith(tuple(others)) for href in hrefs), (others, hrefs)
