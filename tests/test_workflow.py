"""The publishing workflow (.github/workflows/book.yml) is valid and asks for least privilege.

Validated offline against the GitHub-workflow schema bundled with check-jsonschema, then parsed
to check what the schema cannot: which job may write what, and the order of the steps.
"""
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


def test_build_job_tests_points_and_builds_in_order(workflow):
    build = workflow["jobs"]["build"]
    runs = [step.get("run", "") for _, step in steps_of(build)]
    uses = [step.get("uses", "") for _, step in steps_of(build)]

    def index(predicate, what):
        found = [i for i, run in enumerate(runs) if predicate(run)]
        assert found, f"the build job has no step that {what}; its run steps are {runs!r}"
        return found[0]

    test = index(lambda r: r.strip() == "bash .ci/run", "runs the README's test command (bash .ci/run)")
    point = index(lambda r: "scripts/set_repository.py" in r, "calls scripts/set_repository.py")
    build_site = index(lambda r: "jupyter-book build" in r, "builds the site")
    assert test < point < build_site, f"order must be test, set_repository, build; steps: {runs!r}"
    step = steps_of(build)[point][1]
    assert step.get("env", {}).get("REPOSITORY") == "${{ github.repository }}", (
        f"set_repository.py must receive github.repository; step: {step!r}")
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


def load_set_repository():
    import importlib.util

    spec = importlib.util.spec_from_file_location("set_repository", ROOT / "scripts" / "set_repository.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_set_repository_rewrites_config_and_install_cells_only(tmp_path, capsys):
    """scripts/set_repository.py OWNER/REPO changes the URL and nothing else, and can run again."""
    import nbformat

    set_repository = load_set_repository()
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    install = ('try:\n    import bplib\nexcept ImportError:  # on Colab: install this repository\'s package\n'
               '    %pip install -q "bplib[notebooks] @ git+https://github.com/OWNER/REPO"')
    paths = [tmp_path / "chapters" / "01_a.ipynb", tmp_path / "exercises" / "ex1_a.ipynb",
             tmp_path / "exercises" / "blank" / "ex1_a.ipynb"]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(install),
                    nbformat.v4.new_markdown_cell("See https://github.com/OWNER/REPO for the source.")]
        nbformat.write(nb, path)
    (tmp_path / "intro.md").write_text("# Intro\n\n[open](https://mybinder.org/v2/gh/OWNER/REPO/main?labpath=x.ipynb)\n"
                                       "Source: https://github.com/OWNER/REPO\n", encoding="utf-8")
    before = {p: p.read_text(encoding="utf-8") for p in [tmp_path / "_config.yml", tmp_path / "intro.md", *paths]}

    assert set_repository.main(["octocat/backprop-companion"], root=tmp_path) == 0
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines()) if a != b]
        assert len(changed) == 1 and len(text.splitlines()) == len(after.splitlines()), (
            f"{path.name}: expected exactly one changed line; received {changed}")
        assert "octocat/backprop-companion" in changed[0][1]
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
    capsys.readouterr()


def test_set_repository_refuses_a_notebook_without_the_install_cell(tmp_path, capsys):
    import nbformat

    set_repository = load_set_repository()
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import bplib")]
    nbformat.write(nb, tmp_path / "chapters" / "01_a.ipynb")
    assert set_repository.main(["octocat/backprop-companion"], root=tmp_path) == 1
    assert "01_a.ipynb" in capsys.readouterr().err
