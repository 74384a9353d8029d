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


def test_browser_step_comes_before_the_tests(workflow):
    """A step of its own finds (or installs) the browser with .ci/run --browser and hands its path to
    the later steps through $GITHUB_ENV; the repository variable BPLIB_CHROMIUM, if set, wins."""
    steps = [step for _, step in steps_of(workflow["jobs"]["build"])]
    runs = [step.get("run", "") for step in steps]
    browser = [i for i, run in enumerate(runs) if "bash .ci/run --browser" in run]
    test = [i for i, run in enumerate(runs) if run.strip() == "bash .ci/run"]
    assert browser and test and browser[0] < test[0], f"a browser step must come before the Test step; runs: {runs!r}"
    step = steps[browser[0]]
    assert 'BPLIB_CHROMIUM=$chromium" >> "$GITHUB_ENV"' in step["run"], f"the path must go to GITHUB_ENV: {step!r}"
    assert re.search(r"^chromium=\$\(bash \.ci/run --browser\)$", step["run"], re.M), (
        f"the path must be a plain assignment of its own, so that a failure fails the step: {step['run']!r}")
    assert step.get("env", {}).get("BPLIB_CHROMIUM") == "${{ vars.BPLIB_CHROMIUM }}", f"step: {step!r}"


# --- .ci/run's browser, with stand-ins for id, sudo, apt-get and the browsers on a PATH of their own

STUBS = {
    "id": '#!/bin/bash\necho "$FAKE_UID"\n',
    "sudo": '#!/bin/bash\necho "sudo $*" >> "$LOG"\n[ "$1" = -n ] && shift\nFAKE_UID=0 "$@"\n',
    "apt-get": ('#!/bin/bash\necho "apt-get uid=$FAKE_UID $*" >> "$LOG"\n[ "$FAKE_UID" = 0 ] || exit 100\n'
                'if [ "$1" = install ] || [ "$3" = install ]; then\n'
                '  printf %s "$INSTALLS" > "$BIN/chromium"; chmod +x "$BIN/chromium"\nfi\n'),
}
BROWSER = "#!/bin/sh\necho Chromium 1\n"
SNAP_STUB = "#!/bin/sh\necho \"Command '$0' requires the chromium snap to be installed.\"\nexit 1\n"


def ci_browser(tmp_path, uid, sudo=True, browsers=None, env=None, installs=BROWSER):
    """Run ``.ci/run --browser`` with only stand-ins (and dirname, grep, head, env, chmod) on PATH, as user
    ``uid``; ``browsers`` maps names to put on PATH to their scripts, ``installs`` is the chromium
    that apt-get install puts there. Returns (process, log lines)."""
    import shutil

    bin_dir, log = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir()
    for tool in ("dirname", "grep", "head", "env", "chmod"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    stubs = {**STUBS, **(browsers or {})}
    if not sudo:
        del stubs["sudo"]
    for name, text in stubs.items():
        (bin_dir / name).write_text(text, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    result = subprocess.run(
        [shutil.which("bash"), str(ROOT / ".ci" / "run"), "--browser"], capture_output=True, text=True, timeout=60,
        env={"PATH": str(bin_dir), "BIN": str(bin_dir), "LOG": str(log), "FAKE_UID": str(uid), "INSTALLS": installs,
             **(env or {})})
    return result, log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_ci_run_installs_the_browser_through_sudo_when_not_root(tmp_path):
    result, log = ci_browser(tmp_path, uid=1001)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{tmp_path / 'bin' / 'chromium'}\n", result.stdout
    assert [line.split()[:2] for line in log if line.startswith("apt-get")] == [["apt-get", "uid=0"]] * 2, (
        f"as a user, apt-get must run through sudo; calls: {log}")
    assert all(line.startswith("sudo -n ") for line in log if line.startswith("sudo")), log


def test_ci_run_installs_the_browser_without_sudo_as_root(tmp_path):
    result, log = ci_browser(tmp_path, uid=0)
    assert result.returncode == 0, result.stderr
    assert log == ["apt-get uid=0 update -qq", "apt-get uid=0 install -y -qq chromium"], log


def test_ci_run_without_root_or_sudo_names_bplib_chromium(tmp_path):
    result, log = ci_browser(tmp_path, uid=1001, sudo=False)
    assert result.returncode != 0 and not log, (result.returncode, log)
    assert "BPLIB_CHROMIUM" in result.stderr and "sudo" in result.stderr, result.stderr


def test_ci_run_fails_when_the_installed_chromium_does_not_start(tmp_path):
    result, log = ci_browser(tmp_path, uid=1001, installs=SNAP_STUB)
    assert result.returncode != 0 and result.stdout == "", (result, log)
    assert "snap" in result.stderr and "BPLIB_CHROMIUM" in result.stderr, result.stderr


def test_ci_run_uses_a_browser_on_path_that_starts(tmp_path):
    """A snap stub named chromium (Ubuntu's) is passed over for Google Chrome; nothing is installed."""
    result, log = ci_browser(tmp_path, uid=1001, browsers={"chromium": SNAP_STUB, "google-chrome": BROWSER})
    assert result.returncode == 0 and not log, (result.stderr, log)
    assert result.stdout == f"{tmp_path / 'bin' / 'google-chrome'}\n", result.stdout


def test_ci_run_takes_bplib_chromium(tmp_path):
    browser = tmp_path / "my-chromium"
    browser.write_text(BROWSER, encoding="utf-8")
    browser.chmod(0o755)
    result, log = ci_browser(tmp_path, uid=1001, browsers={"chromium": BROWSER}, env={"BPLIB_CHROMIUM": str(browser)})
    assert result.returncode == 0 and result.stdout == f"{browser}\n" and not log, (result, log)


def test_ci_run_refuses_a_wrong_bplib_chromium(tmp_path):
    """Set but wrong fails, naming it, even with a browser on PATH: nothing is guessed or installed."""
    wrong = str(tmp_path / "nowhere" / "chromium")
    result, log = ci_browser(tmp_path, uid=1001, browsers={"chromium": BROWSER}, env={"BPLIB_CHROMIUM": wrong})
    assert result.returncode != 0 and not log and result.stdout == "", (result, log)
    assert f"BPLIB_CHROMIUM={wrong}" in result.stderr, result.stderr


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
