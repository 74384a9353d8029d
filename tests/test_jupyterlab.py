"""Every notebook in JupyterLab with the Binder environment, in a real browser, as a student runs it.

A session fixture builds the environment Binder builds (``binder/requirements.txt``, Python's
``venv``; cached in ``.venv/binder`` and rebuilt when a pin or ``pyproject.toml`` changes) and
starts its JupyterLab on 127.0.0.1 with a random token, serving a temporary copy of ``chapters/``
and ``exercises/`` (so nothing is saved into the repository; ``bplib`` is this checkout's, installed
editable). Each chapter, exercise and blank copy is opened in Chromium (Debian's ``chromium``,
driven by Playwright's Python API with ``executable_path``; ``playwright install`` is not used),
its cells are run with Run All, and the test fails on:

- an error output (except in a cell tagged ``raises-exception``, a deliberate demonstration);
- rendered Markdown that shows MyST role or directive syntax (``{glue:text}``, ``{ref}``,
  ``{cite}``, a ```` ```{exercise} ```` block, a ``(label)=`` or ``:::`` line);
- a widget that does not render (its output shows the text fallback or "Error displaying widget");
- a slider whose figure does not change when it is dragged to another value;
- a scrubbable player (or any image in an HTML output) that shows no picture after Run All;
- a visible placeholder repository (``OWNER/REPO``).

Each notebook's Run All time (kernel ready to last cell done) is printed and written, with the
details, to ``$BPLIB_JUPYTERLAB_REPORT`` (default: ``jupyterlab-report.json`` in pytest's
temporary folder). With ``BPLIB_JUPYTERLAB_SHOTS=DIR`` screenshots of each notebook after Run All,
a screen at a time from the top, and of each player and slider are saved there. ``BPLIB_JUPYTERLAB_NOTEBOOKS=chapters/04_weight_space.ipynb,...``
limits the run to those notebooks.

Without Chromium at ``BPLIB_CHROMIUM`` (default ``/usr/bin/chromium``) the tests skip with that
reason outside CI; in CI (``CI`` or ``BPLIB_REQUIRE_BROWSER`` set) they fail instead, since
``.ci/run`` finds or installs Chromium.
Deselect them with ``-m "not jupyterlab"``.
"""
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
VENV = Path(os.environ.get("BPLIB_BINDER_VENV", ROOT / ".venv" / "binder"))
CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PLACEHOLDER = "OWNER/REPO"
RUN_ALL_TIMEOUT = 180  # seconds; a chapter should take well under 10
ALL = [p.relative_to(ROOT).as_posix() for folder in ("chapters", "exercises", "exercises/blank")
       for p in sorted((ROOT / folder).glob("*.ipynb"))]
CHOSEN = [n.strip() for n in os.environ.get("BPLIB_JUPYTERLAB_NOTEBOOKS", "").split(",") if n.strip()]
NOTEBOOKS = [n for n in ALL if not CHOSEN or n in CHOSEN]


def missing():
    """Why the browser tests cannot run here (None if they can)."""
    if not Path(CHROMIUM).is_file():
        return (f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set "
                "BPLIB_CHROMIUM; the JupyterLab browser tests need it")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install -r requirements.txt)"
    return None


# Outside CI a missing browser skips these tests, with the reason; in CI (CI set, or .ci/run's
# BPLIB_REQUIRE_BROWSER, after it has installed Chromium) it fails them, so a broken install cannot
# pass as "skipped".
REQUIRED = bool(os.environ.get("CI") or os.environ.get("BPLIB_REQUIRE_BROWSER"))
pytestmark = [pytest.mark.jupyterlab,
              pytest.mark.skipif(missing() is not None and not REQUIRED, reason=str(missing()))]


# --- the Binder environment -------------------------------------------------------------------

def environment_key():
    """What the Binder environment is built from: its pins, the package's metadata, this checkout."""
    digest = hashlib.sha256()
    for path in (BINDER / "requirements.txt", BINDER / "constraints.txt"):  # comments do not count
        lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
        digest.update("\n".join(line for line in lines if line).encode())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    digest.update(str(ROOT).encode())
    digest.update(sys.version.split()[0].encode())
    return digest.hexdigest()


def binder_environment():
    """A virtual environment built from binder/requirements.txt as repo2docker installs it (pip, from
    the repository's root); reused while ``environment_key()`` is unchanged."""
    stamp = VENV / "binder-environment.key"
    python = VENV / "bin" / "python"
    key = environment_key()
    if python.exists() and stamp.exists() and stamp.read_text() == key:
        return VENV
    shutil.rmtree(VENV, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt")],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        pytest.fail(f"pip install -r binder/requirements.txt failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True,
                            check=True, timeout=300)
    count = len(json.loads(listed.stdout))
    print(f"Binder environment built in {time.perf_counter() - start:.0f} s: {count} packages in {VENV}")
    stamp.write_text(key)
    return VENV


# --- JupyterLab -------------------------------------------------------------------------------

SETTINGS = {
    # nothing is saved behind the test's back (the served files are a copy anyway)
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # no request to the Jupyter news feed or for updates: the test sees only 127.0.0.1
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # each cell's start and end times go into its metadata: the report names the slowest cells
    "@jupyterlab/notebook-extension/tracker": {"recordTiming": True},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """(base URL, token, served folder) of a JupyterLab of the Binder environment on 127.0.0.1."""
    venv = binder_environment()
    base = tmp_path_factory.mktemp("jupyterlab")
    served = base / "repository"
    for folder in ("chapters", "exercises"):
        shutil.copytree(ROOT / folder, served / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("_static", "references.bib"):  # what the notebooks' Markdown may point at
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, served / name, ignore=shutil.ignore_patterns("mathjax"))
        elif source.exists():
            shutil.copy(source, served / name)
    settings = base / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "MPL", "PYTHON", "IPYTHON", "VIRTUAL_ENV"))}
    env.update(JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_DATA_DIR=str(base / "data"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"), IPYTHONDIR=str(base / "ipython"),
               PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    port, token = free_port(), secrets.token_hex(16)
    log = (base / "jupyterlab.log").open("w")
    process = subprocess.Popen(
        [str(venv / "bin" / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={base / 'workspaces'}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False",
         "--LabApp.extension_manager=readonly",  # no queries to PyPI from the test's server
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/kernelspecs?token={token}", timeout=5) as response:
                    specs = json.load(response)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start; its log:\n{(base / 'jupyterlab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        argv = specs["kernelspecs"]["python3"]["spec"]["argv"]
        assert Path(argv[0]).parent == venv / "bin" or argv[0] in ("python", "python3"), (
            f"the python3 kernel must be the Binder environment's; its argv is {argv}")
        yield url, token, served
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module only: Playwright's sync API cannot run twice at once in a process,
    and tests/test_site_browser.py starts its own after this module is done."""
    if missing():
        pytest.fail(missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    results = {}
    yield results
    path = Path(os.environ.get("BPLIB_JUPYTERLAB_REPORT") or tmp_path_factory.getbasetemp() / "jupyterlab-report.json")
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    lines = [f"  {name}: Run All {r.get('run_all_seconds', float('nan')):.1f} s" for name, r in results.items()]
    print("JupyterLab Run All times (report: " + str(path) + "):\n" + "\n".join(lines))


# --- in the page --------------------------------------------------------------------------------

OPEN_AND_RUN = r"""
async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  const kernel = () => panel.sessionContext.session && panel.sessionContext.session.kernel;
  for (let i = 0; i < 600 && !(kernel() && kernel().connectionStatus === 'connected' && kernel().status === 'idle'); i++)
    await new Promise(r => setTimeout(r, 100));
  if (!kernel()) return {error: 'no kernel started'};
  app.shell.activateById(panel.id);
  const start = performance.now();
  await app.commands.execute('notebook:run-all-cells');
  // run-all resolves when the last cell has replied; wait for the kernel to be idle as well
  for (let i = 0; i < 600 && kernel().status !== 'idle'; i++) await new Promise(r => setTimeout(r, 100));
  const seconds = (performance.now() - start) / 1000;
  const cells = panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const outputs = model.type === 'code' ? model.sharedModel.outputs || [] : [];
    return {index, type: model.type, tags: model.getMetadata('tags') || [],
            execution_count: model.type === 'code' ? model.sharedModel.execution_count : null,
            source: model.sharedModel.getSource().slice(0, 200),
            errors: outputs.filter(o => o.output_type === 'error').map(o => `${o.ename}: ${o.evalue}`),
            widget_outputs: outputs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length,
            seconds: (() => { const t = model.getMetadata('execution') || {};
                              const a = Date.parse(t['iopub.execute_input']), b = Date.parse(t['shell.execute_reply']);
                              return isNaN(a) || isNaN(b) ? null : (b - a) / 1000; })()};
  });
  return {seconds, cells, id: panel.id};
}
"""

INSPECT = r"""
(id) => {
  const panel = document.getElementById(id);
  const cells = [...panel.querySelectorAll('.jp-Notebook > .jp-Cell, .jp-WindowedPanel-viewport > .jp-Cell')];
  const myst = [];
  const role = /\{[A-Za-z][\w:.-]*\}$/;
  cells.forEach((cell, index) => {
    if (!cell.classList.contains('jp-MarkdownCell')) return;
    const rendered = cell.querySelector('.jp-RenderedMarkdown');
    if (!rendered) { myst.push(`cell ${index}: Markdown not rendered`); return; }
    for (const code of rendered.querySelectorAll('code')) {
      const before = code.previousSibling;
      if (before && before.nodeType === Node.TEXT_NODE && role.test(before.textContent.trimEnd()))
        myst.push(`cell ${index}: role ${before.textContent.trim().match(role)[0]}\`${code.textContent}\``);
      if ([...code.classList].some(c => c.startsWith('language-{')))
        myst.push(`cell ${index}: directive block ${[...code.classList].join(' ')}`);
    }
    for (const line of rendered.textContent.split('\n')) {
      const text = line.trim();
      if (/^\([^()\s]+\)=$/.test(text) || /^:{3,}\s*\{/.test(text) || /\{(glue|glue:text|glue:any|ref|numref|cite|cite:t|cite:p|doc|eval|download|term)\}/.test(text))
        myst.push(`cell ${index}: "${text.slice(0, 80)}"`);
    }
  });
  const widgets = [];
  cells.forEach((cell, index) => {
    for (const out of cell.querySelectorAll('.jp-OutputArea-output')) {
      const text = out.textContent || '';
      if (/Error displaying widget|Loading widget|model not found/.test(text) ||
          /^\s*(interactive|VBox|HBox|IntSlider|FloatSlider)\(/.test(text))
        widgets.push(`cell ${index}: the widget did not render: "${text.trim().slice(0, 120)}"`);
    }
  });
  const players = [];
  // scrubbable players (and any other picture in an HTML output) show a picture straight away
  for (const img of panel.querySelectorAll('.jp-RenderedHTML img')) {
    if (!img.getAttribute('src') || !(img.complete && img.naturalWidth > 0)) {
      const box = img.closest('.bp-player, .animation');
      players.push(`${box ? 'player' : 'HTML image'} ${img.id || img.alt.slice(0, 40) || '(no id)'} shows no picture after Run All`);
    }
  }
  const text = panel.textContent || '';
  const placeholders = [];
  let at = text.indexOf('OWNER/REPO');
  while (at >= 0 && placeholders.length < 5) {
    placeholders.push(text.slice(Math.max(0, at - 60), at + 30).replace(/\s+/g, ' '));
    at = text.indexOf('OWNER/REPO', at + 1);
  }
  const rendered_widgets = panel.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length;
  return {myst, widgets, players, placeholders, rendered_widgets};
}
"""

SLIDERS = r"""
(id) => {
  const panel = document.getElementById(id);
  return [...panel.querySelectorAll('.jp-OutputArea-output .widget-slider')].map((s, i) => {
    s.setAttribute('data-test-slider', String(i));
    const label = s.querySelector('.widget-label');
    return label ? label.textContent : `slider ${i}`;
  });
}
"""

PICTURE = r"""
(i) => {
  const slider = document.querySelector(`[data-test-slider="${i}"]`);
  const box = slider.closest('.widget-interact') || slider.closest('.widget-vbox') || slider.parentElement;
  const readout = slider.querySelector('.widget-readout');
  return {images: [...box.querySelectorAll('img')].map(img => img.src.length + ':' + img.src.slice(-80)).join('|'),
          readout: readout ? readout.textContent : ''};
}
"""


def drag(page, index):
    """Drag slider ``index``'s handle from where it is to about a third of the track away, as a
    student would; returns the slider's readout before and after. The boxes are measured after
    the slider has been scrolled into view and the layout has settled (cells off screen are laid
    out lazily, so positions move while scrolling); a drag that moved nothing is tried again."""
    slider = page.locator(f'[data-test-slider="{index}"]')
    readout = slider.locator(".widget-readout").first
    before = readout.text_content()
    for _ in range(3):
        slider.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        track = slider.locator(".noUi-target, .slider-container").first.bounding_box()
        handle = slider.locator(".noUi-handle").first.bounding_box()
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        left = track["x"] + track["width"] * 0.15
        right = track["x"] + track["width"] * 0.85
        target = right if abs(right - x) > abs(left - x) else left
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move((x + target) / 2, y, steps=5)
        page.mouse.move(target, y, steps=5)
        page.mouse.up()
        page.wait_for_timeout(200)
        if readout.text_content() != before:
            break
    return before, readout.text_content()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_reads_right_in_jupyterlab(notebook, jupyterlab, browser, report):
    url, token, _ = jupyterlab
    shots = os.environ.get("BPLIB_JUPYTERLAB_SHOTS")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    problems = []
    try:
        page.goto(f"{url}/lab?token={token}&reset", wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=120_000)
        page.evaluate("() => window.jupyterapp.restored")
        ran = page.evaluate(OPEN_AND_RUN, notebook)
        assert "error" not in ran, f"{notebook}: {ran.get('error')}"
        seconds = ran["seconds"]
        cells = ran["cells"]
        unexecuted = [c["index"] for c in cells if c["type"] == "code" and c["source"].strip() and c["execution_count"] is None]
        if unexecuted:
            problems.append(f"code cells {unexecuted} did not run (Run All stopped early?)")
        for c in cells:
            if c["errors"] and "raises-exception" not in c["tags"]:
                problems.append(f"cell {c['index']} has an error output: {c['errors'][0][:300]}")
        page.wait_for_timeout(500)  # let widget views and HTML outputs attach
        seen = page.evaluate(INSPECT, ran["id"])
        problems += [f"rendered Markdown shows MyST syntax: {m}" for m in seen["myst"]]
        problems += seen["widgets"] + seen["players"]
        problems += [f"visible placeholder repository: ...{p}..." for p in seen["placeholders"]]
        expected_widgets = sum(c["widget_outputs"] for c in cells)
        if expected_widgets and not seen["rendered_widgets"]:
            problems.append(f"{expected_widgets} widget output(s) but no widget rendered")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            stem = notebook.replace("/", "_").removesuffix(".ipynb")
            scroller = f"#{ran['id']} .jp-WindowedPanel-outer"
            for part in range(40):  # the whole notebook, a screen at a time, from the top
                at_end = page.evaluate(
                    "([sel, part]) => { const s = document.querySelector(sel); if (!s) return true;"
                    " s.scrollTop = part * s.clientHeight * 0.9;"
                    " return s.scrollTop + s.clientHeight >= s.scrollHeight - 2; }", [scroller, part])
                page.wait_for_timeout(300)
                page.screenshot(path=str(Path(shots) / f"{stem}_page{part:02d}.png"))
                if at_end:
                    break
            for i, player in enumerate(page.locator(f"#{ran['id']} .bp-player, #{ran['id']} .animation").all()):
                player.scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                page.screenshot(path=str(Path(shots) / f"{stem}_player{i}.png"))
        moved = []
        for index, label in enumerate(page.evaluate(SLIDERS, ran["id"])):
            before = page.evaluate(PICTURE, index)
            value_before, value_after = drag(page, index)
            if value_before == value_after:
                problems.append(f"slider {label.strip()!r}: a drag did not move it from {value_before}")
                continue
            try:
                page.wait_for_function(
                    "([i, before]) => { const s = document.querySelector(`[data-test-slider=\"${i}\"]`);"
                    " const box = s.closest('.widget-interact') || s.closest('.widget-vbox') || s.parentElement;"
                    " const now = [...box.querySelectorAll('img')].map(img => img.src.length + ':' + img.src.slice(-80)).join('|');"
                    " return now && now !== before; }", arg=[index, before["images"]], timeout=30_000)
                after = page.evaluate(PICTURE, index)
                moved.append(f"{label.strip()}: {before['readout']} -> {after['readout']}")
            except Exception:  # noqa: BLE001 - a timeout is the failure reported here
                after = page.evaluate(PICTURE, index)
                problems.append(f"slider {label.strip()!r}: moved from {before['readout']} to {after['readout']}, "
                                f"but its figure did not change")
            if shots:
                page.locator(f'[data-test-slider="{index}"]').scroll_into_view_if_needed()
                page.screenshot(path=str(Path(shots) / f"{stem}_slider{index}.png"))
        if outside:
            problems.append(f"requests left 127.0.0.1: {sorted(set(outside))[:5]}")
        slowest = sorted((c for c in cells if c.get("seconds") is not None), key=lambda c: -c["seconds"])[:3]
        slowest = [f"cell {c['index']} {c['seconds']:.1f} s ({c['source'].splitlines()[0][:50] if c['source'] else ''})"
                   for c in slowest]
        report[notebook] = {"run_all_seconds": round(seconds, 2), "slowest_cells": slowest, "sliders_moved": moved,
                            "problems": problems}
        print(f"{notebook}: Run All {seconds:.1f} s; slowest: {slowest}; sliders: {moved or 'none'}")
    finally:
        try:
            page.evaluate("async () => { for (const s of window.jupyterapp.serviceManager.sessions.running()) "
                          "await window.jupyterapp.serviceManager.sessions.shutdown(s.id); }")
        except Exception:  # noqa: BLE001 - the page may already be gone; the server stops at the end
            pass
        context.close()
    assert not problems, f"{notebook} in JupyterLab:\n  " + "\n  ".join(problems)
