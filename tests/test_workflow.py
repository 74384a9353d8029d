"""The publishing workflow (.github/workflows/book.yml) is valid and asks for least privilege.

Validated offline against the GitHub-workflow schema bundled with check-jsonschema, then parsed
to check what the schema cannot: which job may write what, and the order of the steps.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def validate(path):
    """Run check-jsonschema's bundled GitHub-workflow schema on ``path``; returns the process."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps_of(job):
    return [(step.get("name") or step.get("uses") or step.get("run") or "", step) for step in job.get("steps", [])]


def test_workflow_matches_github_schema():
    result = validate(WORKFLOW)
    assert result.returncode == 0, f"check-jsonschema rejected {WORKFLOW.name}:\n{result.stdout}\n{result.stderr}"


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    """The validation above is live: an invalid permission value is refused."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("contents: read", "contents: everything", 1),
                      encoding="utf-8")
    result = validate(broken)
    assert result.returncode != 0, f"check-jsonschema accepted 'contents: everything':\n{result.stdout}"


def test_triggers(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["branches"] == ["main"], f"push trigger: {triggers.get('push')!r}"
    assert "workflow_dispatch" in triggers, f"triggers: {sorted(triggers)}"


def test_least_privilege(workflow):
    assert workflow["permissions"] == {"contents": "read"}, (
        f"top-level permissions must be exactly contents: read; received {workflow['permissions']!r}")
    jobs = workflow["jobs"]
    writers = {name: job["permissions"] for name, job in jobs.items() if "permissions" in job}
    assert writers == {"deploy": {"pages": "write", "id-token": "write"}}, (
        f"only the deploy job may have permissions (pages: write, id-token: write); received {writers!r}")


def test_pages_concurrency(workflow):
    assert workflow["concurrency"]["group"] == "pages", f"concurrency: {workflow.get('concurrency')!r}"


def test_build_job_checks_the_repository_tests_and_builds_in_order(workflow):
    """First the check that the committed files name this repository (set_repository.py --check with
    github.repository), then the README's tests, then the strict build; nothing rewrites the
    repository at publish time, so the site is built from exactly what students open on GitHub."""
    build = workflow["jobs"]["build"]
    runs = [step.get("run", "") for _, step in steps_of(build)]
    uses = [step.get("uses", "") for _, step in steps_of(build)]

    def index(predicate, what):
        found = [i for i, run in enumerate(runs) if predicate(run)]
        assert found, f"the build job has no step that {what}; its run steps are {runs!r}"
        return found[0]

    check = index(lambda r: "scripts/set_repository.py --check" in r, "runs scripts/set_repository.py --check")
    test = index(lambda r: r.strip() == "bash .ci/run", "runs the README's test command (bash .ci/run)")
    build_site = index(lambda r: "jupyter-book build" in r, "builds the site")
    assert check < test < build_site, f"order must be set_repository --check, test, build; steps: {runs!r}"
    step = steps_of(build)[check][1]
    assert step.get("env", {}).get("REPOSITORY") == "${{ github.repository }}", (
        f"set_repository.py --check must receive github.repository; step: {step!r}")
    assert '"$REPOSITORY"' in step["run"], f"the check must be given the repository: {step['run']!r}"
    rewrites = [r for r in runs if "set_repository.py" in r and "--check" not in r]
    assert not rewrites, f"nothing may rewrite the repository at publish time; steps: {rewrites!r}"
    assert "-W" in runs[build_site] and "-n" in runs[build_site], f"build must be strict: {runs[build_site]!r}"
    upload = [i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0] > build_site, f"upload-pages-artifact must follow the build; uses: {uses!r}"
    assert build["steps"][upload[0]]["with"]["path"] == "_build/html"


def test_ci_run_uses_the_readme_command():
    """The workflow's test step is .ci/run, which runs the README's command; both must exist."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/python -m pytest"
    assert command in readme, "README.md no longer has the test command the workflow relies on"
    assert "README.md" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_deploy_job(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" or deploy["needs"] == ["build"], f"deploy needs: {deploy.get('needs')!r}"
    assert deploy["environment"]["name"] == "github-pages"
    uses = [step.get("uses", "") for step in deploy["steps"]]
    assert any(u.startswith("actions/deploy-pages@") for u in uses), f"deploy steps: {uses!r}"


def load_script(name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_book(root, repository="OWNER/REPO"):
    """A miniature book in ``root``: _config.yml, intro.md, README.md and three notebooks whose first
    cell is the setup cell of scripts/setup_cell.py, all naming ``repository``."""
    import nbformat

    setup_cell = load_script("setup_cell")
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    config = re.sub(r"(url\s*:\s*https://github\.com/)[^\s#]+", rf"\g<1>{repository}", config, count=1)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    paths = [root / "chapters" / "01_a.ipynb", root / "exercises" / "ex1_a.ipynb",
             root / "exercises" / "blank" / "ex1_a.ipynb"]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(setup_cell.setup_source(repository)),
                    nbformat.v4.new_markdown_cell("See https://github.com/OWNER/REPO for the source.")]
        nbformat.write(nb, path)
    (root / "intro.md").write_text(
        f"# Intro\n\n[open](https://mybinder.org/v2/gh/{repository}/main?labpath=x.ipynb)\n"
        "Source: https://github.com/OWNER/REPO\n", encoding="utf-8")
    (root / "README.md").write_text(
        f"# Book\n\n[Binder](https://mybinder.org/v2/gh/{repository}/main?urlpath=lab/tree/chapters/01_a.ipynb)\n"
        f"[Colab](https://colab.research.google.com/github/{repository}/blob/main/chapters/01_a.ipynb)\n",
        encoding="utf-8")
    return paths


def test_set_repository_rewrites_config_links_and_install_cells_only(tmp_path, capsys):
    """scripts/set_repository.py OWNER/REPO changes the URL and nothing else, and can run again."""
    import nbformat

    set_repository = load_script("set_repository")
    paths = make_book(tmp_path)
    files = [tmp_path / "_config.yml", tmp_path / "intro.md", *paths]
    before = {p: p.read_text(encoding="utf-8") for p in files}

    assert set_repository.main(["octocat/backprop-companion"], root=tmp_path) == 0
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines()) if a != b]
        assert len(changed) == 1 and len(text.splitlines()) == len(after.splitlines()), (
            f"{path.name}: expected exactly one changed line; received {changed}")
        assert "octocat/backprop-companion" in changed[0][1]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.count("octocat/backprop-companion") == 2 and "OWNER/REPO" not in readme, readme
    for path in paths:
        cells = nbformat.read(path, as_version=4).cells
        assert 'git+https://github.com/octocat/backprop-companion"' in cells[0].source
        assert cells[1].source == "See https://github.com/OWNER/REPO for the source.", "only the first cell changes"
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["url"] == "https://github.com/octocat/backprop-companion"

    snapshot = {p: p.read_text(encoding="utf-8") for p in before}
    assert set_repository.main(["someone/fork"], root=tmp_path) == 0, "a second name must replace the first"
    assert "someone/fork" in (tmp_path / "_config.yml").read_text(encoding="utf-8")
    assert set_repository.main(["someone/fork"], root=tmp_path) == 0
    assert snapshot != {p: p.read_text(encoding="utf-8") for p in before}
    assert set_repository.main(["not a repository"], root=tmp_path) == 2
    assert set_repository.main(["OWNER/REPO"], root=tmp_path) == 2, "the placeholder is refused as a name"
    capsys.readouterr()


def test_set_repository_refuses_a_notebook_without_the_install_cell(tmp_path, capsys):
    import nbformat

    set_repository = load_script("set_repository")
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import bplib")]
    nbformat.write(nb, tmp_path / "chapters" / "01_a.ipynb")
    assert set_repository.main(["octocat/backprop-companion"], root=tmp_path) == 1
    assert "01_a.ipynb" in capsys.readouterr().err


def test_check_fails_on_the_placeholder_with_the_command(tmp_path, capsys):
    set_repository = load_script("set_repository")
    make_book(tmp_path, "OWNER/REPO")
    assert set_repository.main(["--check", "octocat/backprop-companion"], root=tmp_path) == 1
    err = capsys.readouterr().err
    assert "placeholder OWNER/REPO" in err and "set_repository.py octocat/backprop-companion" in err, err
    assert set_repository.main(["--check"], root=tmp_path) == 1, "the placeholder fails without a name too"
    capsys.readouterr()


def test_check_fails_for_a_fork_not_yet_renamed(tmp_path, capsys):
    set_repository = load_script("set_repository")
    make_book(tmp_path, "upstream/backprop-companion")
    assert set_repository.main(["--check", "upstream/backprop-companion"], root=tmp_path) == 0
    assert set_repository.main(["--check"], root=tmp_path) == 0
    capsys.readouterr()
    assert set_repository.main(["--check", "student/fork"], root=tmp_path) == 1
    err = capsys.readouterr().err
    assert "this repository is student/fork" in err and "upstream/backprop-companion" in err, err
    assert "python3 scripts/set_repository.py student/fork" in err, err
    assert set_repository.main(["student/fork"], root=tmp_path) == 0
    assert set_repository.main(["--check", "student/fork"], root=tmp_path) == 0, "after the command, the check passes"
    capsys.readouterr()


def test_check_fails_when_places_disagree(tmp_path, capsys):
    set_repository = load_script("set_repository")
    make_book(tmp_path, "upstream/backprop-companion")
    intro = tmp_path / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("upstream/", "other/"), encoding="utf-8")
    assert set_repository.main(["--check"], root=tmp_path) == 1
    assert "different repositories" in capsys.readouterr().err


def test_setup_cell_script_is_idempotent_and_touches_cell_0_only(tmp_path, capsys):
    import nbformat

    setup_cell = load_script("setup_cell")
    paths = make_book(tmp_path, "upstream/backprop-companion")
    for path in paths:  # an old-style first cell, a second cell with an output
        nb = nbformat.read(path, as_version=4)
        nb.cells[0].source = ('try:\n    import bplib\nexcept ImportError:\n'
                              '    %pip install -q "bplib[notebooks] @ git+https://github.com/upstream/backprop-companion"')
        nb.cells.append(nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1\n")]))
        nbformat.write(nb, path)
    before = [nbformat.read(p, as_version=4) for p in paths]
    assert setup_cell.main(["--check"], root=tmp_path) == 1
    assert setup_cell.main([], root=tmp_path) == 0
    assert setup_cell.main(["--check"], root=tmp_path) == 0
    snapshot = [p.read_text(encoding="utf-8") for p in paths]
    assert setup_cell.main([], root=tmp_path) == 0
    assert snapshot == [p.read_text(encoding="utf-8") for p in paths], "a second run changes nothing"
    for path, old in zip(paths, before):
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].source == setup_cell.setup_source("upstream/backprop-companion")
        assert nb.cells[1:] == old.cells[1:], f"{path.name}: only the first cell may change"
    capsys.readouterr()


def test_setup_cell_does_nothing_outside_colab_and_installs_on_colab():
    """The cell's guard is "this is Colab" (google.colab imported by Colab's kernel), not "bplib
    is missing": run under IPython here it prints nothing; with a stand-in google.colab module it
    runs exactly one %pip install of this repository's package with the notebooks extra."""
    from IPython.core.interactiveshell import InteractiveShell

    setup_cell = load_script("setup_cell")
    source = setup_cell.setup_source("upstream/backprop-companion")
    shell = InteractiveShell.instance()
    calls = []
    shell.register_magic_function(lambda line: calls.append(line), magic_kind="line", magic_name="pip")
    try:
        shell.run_cell(source, store_history=False).raise_error()
        assert calls == [], f"outside Colab the setup cell must not install anything; it ran %pip {calls}"
        sys.modules["google.colab"] = type(sys)("google.colab")
        shell.run_cell(source, store_history=False).raise_error()
    finally:
        sys.modules.pop("google.colab", None)
        InteractiveShell.clear_instance()
    assert calls == ['install -q "backprop-companion[notebooks] @ git+https://github.com/upstream/backprop-companion"'], calls
