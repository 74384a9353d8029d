"""The built site in a real browser, as a student meets it: at 1280 px and on a 390 px phone.

Every page of the built site is served from 127.0.0.1 and opened in Chromium (Debian's
``chromium`` package, driven by Playwright's Python API; ``playwright install`` is not used).
Each page is checked for: requests to other hosts, console errors, failed requests (the favicon
included), axe-core violations of impact serious or critical under WCAG 2.1 A and AA (axe-core
4.14.1, the copy kept in ``tests/axe-core/``, injected from disk), content wider than
the phone's screen, display equations cut off with no way to scroll to their end, formulas in the
keyboard's tab order, output figures drawn much wider than they are shown, and the scrubbable
players (each must change frame when played and when its slider is moved). The page weight
(every response gzipped) is summed per page.

Without Chromium at ``BPLIB_CHROMIUM`` (default ``/usr/bin/chromium``) these tests skip with that
reason; ``.ci/run`` finds or installs it, so in CI they always run. ``BPLIB_SITE_PAGES`` (comma-separated
paths such as ``chapters/04_weight_space.html``) limits the visit to those pages, for a quick look.
"""
import functools
import gzip
import http.server
import json
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

site = pytest.mark.site
CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# npm's axe-core@4.14.1, its axe.min.js unchanged (see tests/axe-core/README.md)
AXE = Path(__file__).with_name("axe-core") / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
MAX_PAGE_GZIP = 700 * 1024
MIN_SHOWN_FRACTION = 0.75

# .ci/run sets BPLIB_REQUIRE_BROWSER=1: there a missing browser fails the tests instead of skipping them
REQUIRED = os.environ.get("BPLIB_REQUIRE_BROWSER") == "1"
pytestmark = [site, pytest.mark.skipif(not Path(CHROMIUM).is_file() and not REQUIRED,
                                       reason=f"no Chromium at {CHROMIUM}: install Debian's chromium "
                                              "(apt-get install chromium) or set BPLIB_CHROMIUM")]

# Run in the page after it has loaded and MathJax has typeset it. Returns what the tests judge.
INSPECT = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = (typeof el.className === 'string' ? el.className : '').trim().split(/\s+/).filter(Boolean).slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const section = el.closest('section[id]');
    const text = (el.innerText || el.getAttribute('alt') || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return s + (text ? ` "${text}"` : '') + (section ? ` in section #${section.id}` : '');
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const st = getComputedStyle(el);
    return st.visibility !== 'hidden' && st.display !== 'none';
  };
  const scrollsX = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  // an element is reachable if it, or an ancestor, scrolls sideways within the screen
  const scrollAncestor = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrollsX(a) && a.scrollWidth > a.clientWidth + 1) return a;
    }
    return null;
  };
  const main = document.querySelector('main') || document.body;

  // 1. content wider than the screen
  const overflow = [];
  if (document.documentElement.scrollWidth > vw + 1)
    overflow.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide on a ${vw} px screen`);
  for (const el of main.querySelectorAll('*')) {
    if (!visible(el) || el.closest('mjx-assistive-mml')) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 && r.left >= -1) continue;
    const sc = scrollAncestor(el);
    if (sc && sc.getBoundingClientRect().right <= vw + 1) continue;
    const p = el.parentElement;
    const pr = p ? p.getBoundingClientRect() : null;
    if (pr && (pr.right > vw + 1 || pr.left < -1) && !scrollAncestor(p)) continue;  // report the outermost only
    overflow.push(`${describe(el)}: spans ${Math.round(r.left)}..${Math.round(r.right)} px on a ${vw} px screen`);
  }

  // 2. display equations: all of each must be on screen or reachable by a visible sideways scroll
  const equations = [];
  const displays = [...document.querySelectorAll('mjx-container[display="true"]')];
  for (const eq of displays) {
    const r = eq.getBoundingClientRect();
    const inner = eq.querySelector('mjx-math') || eq;
    const need = inner.scrollWidth || inner.getBoundingClientRect().width;
    const box = eq.closest('div.math, div.MathJax_Display, .math-wrapper') || eq;
    let scroller = null;
    for (let a = inner; a && a !== document.body; a = a.parentElement) {
      if (scrollsX(a)) { scroller = a; break; }
      if (getComputedStyle(a).overflowX === 'hidden' || getComputedStyle(a).overflowX === 'clip') break;
    }
    const shownRight = Math.min(vw, scroller ? scroller.getBoundingClientRect().right : r.right);
    const fits = inner.getBoundingClientRect().right <= shownRight + 1 && inner.getBoundingClientRect().left >= -1;
    if (fits) continue;
    if (!scroller) {
      equations.push(`${describe(box)}: ${Math.round(need)} px of formula, cut off at ${Math.round(shownRight - r.left)} px with nothing to scroll`);
      continue;
    }
    const sr = scroller.getBoundingClientRect();
    if (sr.right > vw + 1) {
      equations.push(`${describe(box)}: its scroll box ends at ${Math.round(sr.right)} px, past the ${vw} px screen`);
      continue;
    }
    // a scroll box that is not visibly one: the companion's CSS marks it with a shadow at the cut edge
    const st = getComputedStyle(scroller);
    if (!st.backgroundImage.includes('gradient'))
      equations.push(`${describe(box)}: scrolls sideways but shows no sign of it (no edge shadow on ${describe(scroller)})`);
  }

  // 3. formulas in the tab order; a formula wider than its box must be there (a keyboard scrolls
  //    only what can take the focus), every other one must not
  const mathTabStops = [...document.querySelectorAll('mjx-container, mjx-container *')]
    .filter((el) => el.tabIndex >= 0 && el.hasAttribute('tabindex'))
    .filter((el) => !(el.tagName === 'MJX-CONTAINER' && el.scrollWidth > el.clientWidth + 1)).length;
  const tabStops = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter((el) => el.tabIndex >= 0 && !el.disabled).length;

  // 4. output figures: drawn for the width they are shown at
  const figures = [];
  for (const img of main.querySelectorAll('.cell_output img, figure img, .bp-player img, .animation img')) {
    if (!img.complete || !img.naturalWidth) { figures.push({what: describe(img), broken: true}); continue; }
    const declared = img.getAttribute('width');
    const cssWidth = declared && /^\d+(px)?$/.test(declared) ? parseFloat(declared) : img.naturalWidth;
    const link = img.closest('a[href]');
    const linksFull = !!link && new URL(link.href, location.href).href === new URL(img.currentSrc || img.src, location.href).href;
    figures.push({what: describe(img), shown: img.getBoundingClientRect().width, cssWidth, linksFull,
                  visible: visible(img)});
  }

  // 5. players
  const players = [...document.querySelectorAll('.bp-player, div.animation')].map((p, i) => describe(p));

  // 6. tables: every table of the page's content fits the screen or scrolls inside a box that
  //    ends on screen and shows it can scroll; and no cell output is a table printed as text
  //    (fixed-width columns under a rule of dashes, cut off on a phone)
  const tables = [];
  for (const table of main.querySelectorAll('table')) {
    if (!visible(table)) continue;
    const r = table.getBoundingClientRect();
    const headers = table.querySelectorAll('th').length;
    let scroller = null;
    for (let a = table.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrollsX(a)) { scroller = a; break; }
    }
    const entry = {what: describe(table), headers, output: !!table.closest('.cell_output')};
    if (r.right <= vw + 1 && r.left >= -1 && (!scroller || scroller.scrollWidth <= scroller.clientWidth + 1)) {
      tables.push({...entry, fits: true});
      continue;
    }
    const sr = scroller ? scroller.getBoundingClientRect() : null;
    const st = scroller ? getComputedStyle(scroller) : null;
    tables.push({...entry, fits: false, width: Math.round(r.width),
                 scrollBoxOnScreen: !!sr && sr.right <= vw + 1 && sr.left >= -1,
                 scrollCue: !!st && st.backgroundImage.includes('gradient'),
                 focusable: !!scroller && scroller.tabIndex >= 0});
  }
  const textTables = [...main.querySelectorAll('.cell_output pre')]
    .filter((pre) => /^ *-{3,}(?: +-{3,})+ *$/m.test(pre.textContent))
    .map((pre) => describe(pre));
  return {overflow, equations, displays: displays.length, mathTabStops, tabStops, figures, players, tables,
          textTables};
}
"""

PLAY_AND_SCRUB = r"""
async (index) => {
  const p = [...document.querySelectorAll('.bp-player, div.animation')][index];
  const img = p.querySelector('img');
  const slider = p.querySelector('input[type="range"]');
  const buttons = [...p.querySelectorAll('button')];
  const play = buttons.find((b) => /^play\b/i.test((b.getAttribute('aria-label') || b.title || '').trim()));
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const result = {problems: []};
  if (!img) { result.problems.push('no image'); return result; }
  if (!slider) { result.problems.push('no slider'); return result; }
  const name = slider.getAttribute('aria-label') || (slider.labels && slider.labels[0] && slider.labels[0].innerText) || '';
  if (!name.trim()) result.problems.push('the slider has no accessible name');
  // play from the first frame: the picture must change within a few seconds
  slider.value = slider.min || 0;
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  await wait(50);
  const start = img.src;
  if (!play) result.problems.push('no button labelled "Play"');
  else {
    play.click();
    let changed = false;
    for (let t = 0; t < 60 && !changed; t++) { await wait(100); changed = img.src !== start; }
    if (!changed) result.problems.push('pressing Play did not change the frame within 6 s');
    const pause = buttons.find((b) => /^pause\b/i.test((b.getAttribute('aria-label') || b.title || '').trim()));
    if (pause) pause.click();
  }
  // the slider, as a keyboard moves it
  slider.value = slider.min || 0;
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  await wait(50);
  const before = img.src;
  const beforeAlt = img.alt;
  slider.focus();
  result.focused = document.activeElement === slider;
  return {...result, before, beforeAlt};
}
"""


class SiteServer:
    """The built site over HTTP on 127.0.0.1 (a random free port), in a thread."""

    def __init__(self, root):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".woff2": "font/woff2", ".woff": "font/woff", ".js": "text/javascript",
                      ".mjs": "text/javascript", ".svg": "image/svg+xml", ".ico": "image/x-icon"}

    def log_message(self, *args):
        pass


REDIRECT = re.compile(r"""<meta\s+http-equiv=["']refresh["']\s+content=["'][^"']*url=([^"']+)["']""", re.IGNORECASE)


def site_pages(html):
    """Every HTML page of the site (not the theme's static files), relative to its root, except
    redirects (index.html sends the reader to the landing page; see test_redirects_land_on_a_page)."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if "_static" not in p.relative_to(html).parts and not redirect_target(p))


def redirect_target(path):
    match = REDIRECT.search(path.read_text(encoding="utf-8", errors="replace")[:2000])
    return match.group(1) if match else None


def test_redirects_land_on_a_page(build):
    html = build[2]
    redirects = {p: redirect_target(p) for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts}
    redirects = {p: t for p, t in redirects.items() if t}
    broken = [f"{p.relative_to(html)} -> {t}" for p, t in redirects.items() if not (p.parent / t).is_file()]
    assert not broken, "redirects to pages that do not exist: " + ", ".join(broken)


def axe_source():
    import hashlib

    assert AXE.is_file(), f"axe-core is not where expected: {AXE}"
    data = AXE.read_bytes()
    assert data.startswith(f"/*! axe v{AXE_VERSION}\n".encode()), f"{AXE} is not axe-core {AXE_VERSION}"
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, f"{AXE} is not npm's axe-core {AXE_VERSION}"
    return AXE


@pytest.fixture(scope="session")
def visits(build):
    """Open every page at each width; returns {(width name, page): report}."""
    from playwright.sync_api import sync_playwright

    returncode, _, html = build[:3]
    assert returncode == 0, "the site build failed; see test_site.py's build test"
    server = SiteServer(html)
    reports = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            try:
                only = [n.strip() for n in os.environ.get("BPLIB_SITE_PAGES", "").split(",") if n.strip()]
                for width_name, (width, height) in WIDTHS.items():
                    for name in site_pages(html):
                        if only and name not in only:
                            continue
                        # a fresh context per page: an empty cache, so every response is counted
                        context = browser.new_context(viewport={"width": width, "height": height},
                                                      device_scale_factor=1, has_touch=width_name == "phone",
                                                      service_workers="block")
                        reports[width_name, name] = visit(context, server.origin, name,
                                                          contrast=width_name == "desktop")
                        context.close()
            finally:
                browser.close()
    finally:
        server.close()
    if os.environ.get("BPLIB_BROWSER_REPORT"):  # everything gathered, for a closer look
        Path(os.environ["BPLIB_BROWSER_REPORT"]).write_text(
            json.dumps({f"{w} {n}": r for (w, n), r in reports.items()}, indent=1), encoding="utf-8")
    return reports


def visit(context, origin, name, contrast=True):
    """Load one page and gather what the tests judge.

    axe-core's color-contrast rule takes most of axe's time (40 s of 80 on the API page) and the
    colours do not change with the screen's width: it runs at 1280 px only.
    """
    page = context.new_page()
    page.set_default_timeout(120_000)  # a loaded two-core machine can take over 30 s on the API page
    report = {"external": [], "console": [], "failed": [], "responses": {}, "favicon": None}

    def on_request(request):
        if not request.url.startswith(origin) and not request.url.startswith(("data:", "blob:", "about:")):
            report["external"].append(f"{request.method} {request.url}")

    def on_response(response):
        if response.url.startswith(origin):
            path = urlparse(response.url).path
            if response.status >= 400:
                report["failed"].append(f"{response.status} {path}")

    def on_finished(request):
        if request.url.startswith(origin):
            try:
                body = request.response().body()
            except Exception:  # a redirect or an aborted body has none
                return
            report["responses"][urlparse(request.url).path] = len(gzip.compress(body, 6))

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfinished", on_finished)
    page.on("requestfailed", lambda r: report["failed"].append(f"{r.failure} {r.url}"))
    def on_console(message):
        if message.type == "error":
            report["console"].append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: report["console"].append(f"uncaught: {e}"))
    # nothing may leave the machine: requests to other hosts are recorded above and refused here
    page.route(lambda url: not url.startswith(origin), lambda route: route.abort())
    page.goto(f"{origin}/{name}", wait_until="load")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.wait_for_load_state("networkidle")
    report["favicon"] = page.evaluate("""async () => {
        const link = document.querySelector('link[rel~="icon"]');
        const href = link ? link.href : new URL('/favicon.ico', location.href).href;
        try {
            const r = await fetch(href);
            return {declared: !!link, href, status: r.status, type: r.headers.get('content-type')};
        } catch (e) {
            return {declared: !!link, href, status: null, error: String(e)};
        }
    }""")
    report.update(page.evaluate(INSPECT))
    # axe-core reads the page's stylesheets itself and resolves their @import rules against the
    # page, not the stylesheet (a 404 for "../basic.css" that no reader's browser makes): what
    # the page itself requested and logged is taken before axe runs
    for key in ("external", "console", "failed"):
        report[key] = list(report[key])
    page.remove_listener("request", on_request)
    page.remove_listener("response", on_response)
    page.remove_listener("requestfinished", on_finished)
    page.remove_listener("console", on_console)
    page.add_script_tag(path=str(axe_source()))
    report["axe"] = page.evaluate("""async ([tags, contrast]) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                                           rules: {'color-contrast': {enabled: contrast}}});
        return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))
                  .concat(v.nodes.length > 4 ? [`... and ${v.nodes.length - 4} more`] : [])}));
    }""", [AXE_TAGS, contrast])
    report["player_results"] = [play_and_scrub(page, i) for i in range(len(report["players"]))]
    page.close()
    return report


def play_and_scrub(page, index):
    """Press Play and move the slider by keyboard; returns a list of problems (empty if none)."""
    result = page.evaluate(PLAY_AND_SCRUB, index)
    problems = list(result["problems"])
    if "before" not in result:
        return problems
    if not result["focused"]:
        problems.append("the slider cannot take the keyboard focus")
        return problems
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)
    after = page.evaluate("""(index) => {
        const p = [...document.querySelectorAll('.bp-player, div.animation')][index];
        const img = p.querySelector('img');
        return {src: img.src, alt: img.alt};
    }""", index)
    if after["src"] == result["before"]:
        problems.append("moving the slider (ArrowRight) did not change the frame")
    elif after["alt"] == result["beforeAlt"]:
        problems.append(f"the alt text stays {after['alt'][:60]!r} when the frame changes")
    return problems


def _collect(visits, key, describe=str):
    found = []
    for (width, name), report in sorted(visits.items()):
        found += [f"{name} at {WIDTHS[width][0]} px: {describe(item)}" for item in report[key]]
    return found


def test_no_request_leaves_the_site(visits):
    found = _collect(visits, "external")
    assert not found, f"{len(found)} request(s) to other hosts:\n" + "\n".join(found[:40])


def test_no_console_errors(visits):
    found = _collect(visits, "console")
    assert not found, f"{len(found)} console error(s):\n" + "\n".join(found[:40])


def test_no_failed_requests(visits):
    found = _collect(visits, "failed")
    assert not found, f"{len(found)} failed request(s):\n" + "\n".join(found[:40])


def test_every_page_has_a_favicon(visits):
    found = [f"{name}: {r['favicon']}" for (width, name), r in visits.items() if width == "desktop"
             and not (r["favicon"]["declared"] and r["favicon"]["status"] == 200)]
    assert not found, f"{len(found)} page(s) without a favicon that loads:\n" + "\n".join(found[:20])


def test_no_serious_accessibility_violations(visits):
    found = _collect(visits, "axe", lambda v: f"[{v['impact']}] {v['id']}: {v['help']}\n    "
                                              + "\n    ".join(v["nodes"]))
    assert not found, (f"{len(found)} axe-core violation(s) of impact serious or critical "
                       f"({', '.join(AXE_TAGS)}):\n" + "\n".join(found[:40]))


def test_nothing_is_wider_than_a_phone(visits):
    found = [f"{name}: {item}" for (width, name), r in sorted(visits.items()) if width == "phone"
             for item in r["overflow"]]
    assert not found, f"{len(found)} element(s) wider than a 390 px screen:\n" + "\n".join(found[:40])


def test_no_display_equation_is_cut_off(visits):
    found = _collect(visits, "equations")
    assert not found, f"{len(found)} display equation(s) cut off:\n" + "\n".join(found[:40])
    assert sum(r["displays"] for r in visits.values()) > 0, "no display equation was found on any page"


def test_formulas_are_not_in_the_tab_order(visits):
    """Except those wider than their column, which must take the focus to be scrolled by keyboard
    (axe-core's scrollable-region-focusable checks that they do)."""
    found = [f"{name} at {WIDTHS[w][0]} px: {r['mathTabStops']} of {r['tabStops']} tab stops are formulas "
             "that fit their column"
             for (w, name), r in sorted(visits.items()) if r["mathTabStops"]]
    assert not found, "formulas in the keyboard's tab order:\n" + "\n".join(found[:40])


def test_players_change_frame_on_play_and_on_the_slider(visits):
    players = sum(len(r["players"]) for r in visits.values())
    assert players, "no scrubbable player found on any page (chapters 4, 7 and 10 have them)"
    found = [f"{name} at {WIDTHS[w][0]} px, {r['players'][i]}: {problem}"
             for (w, name), r in sorted(visits.items()) for i, problems in enumerate(r["player_results"])
             for problem in problems]
    assert not found, f"{len(found)} player problem(s):\n" + "\n".join(found)


def test_figures_are_drawn_for_the_width_they_are_shown_at(visits):
    found = []
    for (w, name), r in sorted(visits.items()):
        for f in r["figures"]:
            if f.get("broken"):
                found.append(f"{name}: {f['what']} did not load")
            elif f["visible"] and not f["linksFull"] and f["shown"] < MIN_SHOWN_FRACTION * f["cssWidth"]:
                found.append(f"{name} at {WIDTHS[w][0]} px: {f['what']} is drawn {f['cssWidth']:.0f} px wide "
                             f"but shown at {f['shown']:.0f} px ({f['shown'] / f['cssWidth']:.0%}) "
                             "and does not link to its full size")
    assert sum(len(r["figures"]) for r in visits.values()), "no output figure found on any page"
    assert not found, f"{len(found)} figure(s) shrunk below {MIN_SHOWN_FRACTION:.0%}:\n" + "\n".join(found[:40])


def test_tables_are_tables_that_fit_a_phone(visits):
    """Tables of numbers (chapter 9's comparisons) are HTML tables with column headers, and at
    390 px each fits the screen or scrolls sideways inside its own box, which stays on screen,
    shows a shadow at the edge with more table beyond it, and takes the keyboard focus; no cell
    output is a table printed as fixed-width text (cut off on a phone)."""
    found = []
    for (w, name), r in sorted(visits.items()):
        found += [f"{name}: {what} is a table printed as text: display a bplib.plots.table.Table instead"
                  for what in r["textTables"] if w == "phone"]
        for t in r["tables"]:
            where = f"{name} at {WIDTHS[w][0]} px: {t['what']}"
            if t["output"] and not t["headers"]:
                found.append(f"{where} has no header cells (<th>)")
            if t["fits"]:
                continue
            if not t["scrollBoxOnScreen"]:
                found.append(f"{where} is {t['width']} px wide and runs off the screen")
            elif not t["scrollCue"]:
                found.append(f"{where} scrolls sideways but shows no sign of it (no edge shadow)")
            elif not t["focusable"]:
                found.append(f"{where} scrolls sideways in a box the keyboard cannot reach (no tabindex)")
    tables = sum(len(r["tables"]) for (w, n), r in visits.items() if n == "chapters/09_worked_examples.html")
    if any(n == "chapters/09_worked_examples.html" for _, n in visits):
        found += [] if tables else ["chapters/09_worked_examples.html: no <table> found (its comparisons "
                                    "should be displayed as tables)"]
    assert not found, f"{len(found)} table problem(s):\n" + "\n".join(found[:40])


def test_every_page_weighs_at_most_700_kb_gzipped(visits):
    weights = {name: sum(r["responses"].values()) for (w, name), r in visits.items() if w == "desktop"}
    heavy = {name: kb for name, kb in weights.items() if kb > MAX_PAGE_GZIP}
    summary = json.dumps({n: f"{b / 1024:.0f} KB" for n, b in sorted(weights.items(), key=lambda x: -x[1])[:8]})
    print(f"heaviest pages (all responses gzipped): {summary}")
    assert not heavy, "pages heavier than 700 KB gzipped (every response of the page, gzipped):\n" + "\n".join(
        f"{name}: {b / 1024:.0f} KB; largest: " + ", ".join(
            f"{p} {s / 1024:.0f} KB" for p, s in sorted(visits['desktop', name]['responses'].items(),
                                                       key=lambda x: -x[1])[:4])
        for name, b in sorted(heavy.items()))


def test_mathjax_accessibility_explorer_loads_from_the_site(build):
    """MathJax's menu offers an explorer for screen-reader users; it loads more of MathJax on
    request, so the part of MathJax the site serves must include what it needs."""
    from playwright.sync_api import sync_playwright

    server = SiteServer(build[2])
    failed = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
            page.route(lambda url: not url.startswith(server.origin), lambda route: route.abort())
            page.goto(f"{server.origin}/notation.html", wait_until="load")
            result = page.evaluate("""async () => {
                await MathJax.startup.promise;
                try { await MathJax.loader.load('a11y/explorer'); return 'loaded'; }
                catch (e) { return String(e); }
            }""")
            browser.close()
    finally:
        server.close()
    assert result == "loaded" and not failed, f"MathJax's explorer did not load: {result}; failed: {failed}"
