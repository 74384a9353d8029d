"""How soon does a student on a phone see a page of the site with its equations?

    python benchmarks/site_mobile.py BUILD_HTML_DIR          # e.g. /tmp/book/_build/html
    python benchmarks/site_mobile.py BUILD_HTML_DIR --pages chapters/06_output_layer.html,notation.html
    python benchmarks/site_mobile.py BUILD_HTML_DIR --calibrate   # the same phone on any machine (below)
    python benchmarks/site_mobile.py NEW_HTML_DIR --against OLD_HTML_DIR --loads 3 --calibrate

The built site is served gzipped from 127.0.0.1 (as GitHub Pages serves it) and every page is
opened in a fresh headless Chromium context (an empty cache) on Lighthouse's mobile profile, set
through the DevTools protocol: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up
(``Network.emulateNetworkConditions``), the CPU slowed 4 times (``Emulation.setCPUThrottlingRate``),
a 390 px wide touch screen. Chromium is Debian's (``BPLIB_CHROMIUM``, default
``/usr/bin/chromium``), driven by Playwright; ``playwright install`` is not used. Per page it
prints:

- the bytes on the wire: every response of the page, gzipped, headers included;
- the largest contentful paint (LCP), in seconds after navigation;
- "first screen": the time after navigation of the first frame after which the page has painted,
  is parsed past the bottom of the screen, and every formula on the screen is typeset (MathJax has
  run, if the page uses it), laid out, and drawn with its fonts loaded: what a reader sees without
  scrolling;
- "math ready": the time after navigation at which every formula is typeset and its fonts are
  loaded. With MathJax (the site before issue 20): its startup promise has resolved, then
  ``document.fonts.ready``. With formulas rendered at build time: the page is parsed,
  ``document.fonts.ready`` has resolved and every formula that is shown has a laid-out box.
  Measured in the page (an init script records ``performance.now()``), so the time the test
  harness takes to ask is not counted.

One load of a page varies by a few tenths of a second, more than most changes to the site gain.
``--against`` compares two builds in one run: each page is loaded from one build, then the other,
``--loads`` times over (which goes first alternates), and the medians and their ratio are printed
per page, so that both builds meet the same machine at the same moments.

This module is also the one place that holds this measuring code and the site server:
tests/test_site_browser.py imports ``SiteServer``, ``launch``, ``measure_page`` and ``MOBILE``
from here (scripts/build_pdf.py its ``SiteServer`` and Chromium's settings), and checks its
bounds (at most 450 KB a page; the times there). This script asserts nothing; the median and
the slowest page come last.
"""
import argparse
import functools
import gzip
import http.server
import os
import statistics
import sys
import threading
from pathlib import Path

CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Lighthouse's mobile profile, as issue 20 measured it (rates in bytes per second for the protocol)
MOBILE = {
    "latency_ms": 150,
    "download_bytes_per_s": 1.6e6 / 8,
    "upload_bytes_per_s": 750e3 / 8,
    "cpu_slowdown": 4,
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1.75,
}

# Runs in every page before its own scripts: records when the formulas are ready (see the
# docstring). A formula is a MathJax container or a KaTeX box; one inside a closed <details> or
# a hidden block is not shown, so it need not be laid out.
MATH_READY = r"""
(() => {
  const times = window.__bpTimes = {};
  document.addEventListener('DOMContentLoaded', () => { times.dcl = performance.now(); }, {once: true});
  window.addEventListener('load', () => { times.load = performance.now(); }, {once: true});
  // every wait is for the next frame, never a timer: while a page loads, Chromium runs its loading
  // work before timers, so a time read in a setTimeout callback came up to the whole load late
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));
  document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') times.parsed = performance.now();
  });
  window.__bpMathReady = (async () => {
    // the whole page is parsed: every formula is in it (the page's deferred scripts run after this)
    while (document.readyState === 'loading') await nextFrame();
    const mathjax = !!document.querySelector('script[src*="mathjax" i]');
    if (mathjax) {
      while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) await nextFrame();
      await MathJax.startup.promise;
      window.__bpTypeset = true;
    }
    const formulas = () => [...document.querySelectorAll('mjx-container, .katex')];
    const shown = (el) => el.checkVisibility({visibilityProperty: true, checkVisibilityCSS: true});
    // a frame has been laid out (so every font a formula uses has been asked for); then wait
    // until no font is loading and every shown formula has a box
    for (;;) {
      await nextFrame();
      await document.fonts.ready;
      const loading = [...document.fonts].some((f) => f.status === 'loading');
      const waiting = formulas().some((el) => shown(el) && el.getBoundingClientRect().width === 0);
      if (!loading && !waiting) break;
    }
    return {ms: performance.now(), renderer: mathjax ? 'MathJax' : (document.querySelector('.katex') ? 'KaTeX' : 'none'),
            formulas: formulas().length};
  })();
  // The first screen: from the first frame on, the time of the first frame after which the page
  // has painted content, is parsed past the bottom of the screen (or to its end), and every formula
  // on the screen has a laid-out box and every font it is drawn with loaded: what a reader sees
  // without scrolling is there, formulas typeset. (Long pages go on parsing and laying out below.)
  window.__bpFirstScreen = new Promise((resolve) => {
    const onScreen = (el) => { const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; };
    const families = (el) => new Set([el, ...el.querySelectorAll('span')].map(
      (e) => getComputedStyle(e).fontFamily.split(',')[0].replace(/["']/g, '').trim()));
    // a web font family is drawn once one of its faces has loaded and none is still loading
    const loaded = (family) => {
      const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === family);
      return !faces.length || (faces.some((f) => f.status === 'loaded') && !faces.some((f) => f.status === 'loading'));
    };
    const frame = () => requestAnimationFrame(() => {
      const painted = performance.getEntriesByName('first-contentful-paint').length > 0;
      const parsed = document.readyState !== 'loading' ||
        (document.body && document.body.scrollHeight > 1.5 * innerHeight);
      const mathjax = !!document.querySelector('script[src*="mathjax" i]');
      const typeset = !mathjax || !!window.__bpTypeset;
      let ready = painted && parsed && typeset;
      const formulas = ready ? [...document.querySelectorAll('mjx-container, .katex')].filter(onScreen) : [];
      if (ready && mathjax) ready = ![...document.fonts].some((f) => f.status === 'loading');
      for (const el of formulas) {
        if (!ready) break;
        ready = el.getBoundingClientRect().width > 0 && [...families(el.querySelector('.katex-html') || el)].every(loaded);
      }
      // the frame being made now draws what was just checked
      if (ready) resolve({ms: performance.now(), formulas: formulas.length});
      else frame();
    });
    frame();
  });
  window.__bpLcp = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bpLcp = Math.max(window.__bpLcp, entry.startTime);
  }).observe({type: 'largest-contentful-paint', buffered: true});
})();
"""

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".ico", ".ttf", ".woff",
                ".woff2", ".png", ".webp", ".jpg", ".jpeg", ".gif", ".ipynb", ".bib", ".inv")


class SiteServer:
    """The built site over HTTP on 127.0.0.1 (a random free port), in a thread, every response
    gzipped when the browser accepts it (issue 20 counts every response gzipped)."""

    def __init__(self, root):
        handler = functools.partial(_GzipHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@functools.lru_cache(maxsize=4096)
def _gzipped(path, mtime_ns, size):
    return gzip.compress(Path(path).read_bytes(), 6, mtime=0)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".woff2": "font/woff2", ".woff": "font/woff", ".js": "text/javascript",
                      ".mjs": "text/javascript", ".svg": "image/svg+xml", ".ico": "image/x-icon"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.is_file() and path.suffix.lower() in COMPRESSIBLE
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            stat = path.stat()
            body = _gzipped(str(path), stat.st_mtime_ns, stat.st_size)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def log_message(self, *args):
        pass


class _Body:
    """A gzipped body as the file object SimpleHTTPRequestHandler copies to the socket."""

    def __init__(self, data):
        import io

        self._io = io.BytesIO(data)
        self.read = self._io.read

    def close(self):
        self._io.close()


# Lighthouse's "benchmark index" of the machine (its computeBenchmarkIndex: string building and
# array copying for half a second each, unthrottled). Lighthouse's 4x CPU slowdown stands for a
# mid-range phone on a machine scoring about 1000 or more; a machine busy with other work scores
# lower and every time measured here grows with it, so the benchmark prints it beside the table.
BENCHMARK_INDEX = r"""
() => {
  const gc = () => {
    const start = Date.now(); let iterations = 0;
    while (Date.now() - start < 500) { let s = ''; for (let j = 0; j < 10000; j++) s += 'a'; iterations++; }
    return Math.round(iterations / 10 / ((Date.now() - start) / 1000));
  };
  const noGc = () => {
    const a = [], b = [];
    for (let i = 0; i < 100000; i++) a[i] = b[i] = i;
    const start = Date.now(); let iterations = 0;
    while (iterations % 10 !== 0 || Date.now() - start < 500) {
      const [src, tgt] = iterations % 2 === 0 ? [a, b] : [b, a];
      for (let j = 0; j < src.length; j++) tgt[j] = src[j];
      iterations++;
    }
    return Math.round(iterations / 10 / ((Date.now() - start) / 1000));
  };
  return Math.round((gc() + noGc()) / 2);
}
"""


# Lighthouse's 4x slowdown stands for a mid-range phone on the machine issue 20 was measured on,
# whose benchmark index is about 2300 when it is quiet. A slower machine, or one busy with other
# work, scores lower, and 4x of it is a slower phone; ``phone_profile(index)`` slows the CPU by
# 4 x index / 2300 instead (at least 1x), so that every machine emulates the same phone.
REFERENCE_INDEX = 2300


def phone_profile(index, profile=MOBILE):
    """``profile`` with its CPU slowdown scaled to a machine of benchmark index ``index``."""
    return {**profile, "cpu_slowdown": max(1.0, profile["cpu_slowdown"] * index / REFERENCE_INDEX)}


def benchmark_index(browser):
    """Lighthouse's benchmark index of this machine now (higher is faster)."""
    page = browser.new_page()
    try:
        return page.evaluate(BENCHMARK_INDEX)
    finally:
        page.close()


def launch(playwright):
    """Debian's Chromium (``BPLIB_CHROMIUM``), headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)


def measure_page(browser, origin, name, profile=MOBILE):
    """Open ``name`` (a path below ``origin``) in a fresh context on ``profile``; returns
    ``{"bytes", "lcp_s", "math_s", "renderer", "formulas", "responses", "late_fonts", "external"}``
    (``late_fonts``: the KaTeX fonts the page asked for without preloading them).

    Requests to other hosts are refused and listed under ``external``.
    """
    context = browser.new_context(viewport=profile["viewport"], device_scale_factor=profile["device_scale_factor"],
                                  is_mobile=True, has_touch=True, service_workers="block")
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        external = []

        def refuse(route):
            external.append(route.request.url)
            route.abort()

        page.route(lambda url: not url.startswith(origin) and not url.startswith(("data:", "blob:", "about:")),
                   refuse)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": profile["latency_ms"],
            "downloadThroughput": profile["download_bytes_per_s"],
            "uploadThroughput": profile["upload_bytes_per_s"]})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu_slowdown"]})
        urls, sizes = {}, {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished",
               lambda e: sizes.__setitem__(e["requestId"], e.get("encodedDataLength", 0)))
        page.add_init_script(MATH_READY)
        page.goto(f"{origin}/{name}", wait_until="load")
        ready = page.evaluate("() => window.__bpMathReady")
        first = page.evaluate("() => window.__bpFirstScreen")
        page.evaluate("() => window.bpScriptsRan")  # the page's scripts, added once it is drawn, are counted
        page.wait_for_load_state("networkidle")
        lcp = page.evaluate("() => window.__bpLcp")
        times = page.evaluate("() => window.__bpTimes")
        # a KaTeX font that was not preloaded is asked for only once text using it has been laid out
        late_fonts = page.evaluate("""() => performance.getEntriesByType('resource')
            .filter((e) => e.name.includes('/katex/fonts/') && e.initiatorType !== 'link')
            .map((e) => e.name.split('/').pop())""")
        responses = {}
        for request_id, size in sizes.items():
            url = urls.get(request_id, request_id)
            if url.startswith(origin):
                path = url[len(origin):].split("?")[0]
                responses[path] = responses.get(path, 0) + size
        cdp.detach()
        return {"bytes": sum(responses.values()), "lcp_s": lcp / 1000, "math_s": ready["ms"] / 1000,
                "first_screen_s": first["ms"] / 1000, "first_screen_formulas": first["formulas"],
                "parsed_s": times["parsed"] / 1000, "dcl_s": times["dcl"] / 1000, "load_s": times["load"] / 1000,
                "renderer": ready["renderer"], "formulas": ready["formulas"], "responses": responses,
                "late_fonts": late_fonts, "external": external, "cpu_slowdown": profile["cpu_slowdown"]}
    finally:
        context.close()


def site_pages(html):
    """Every HTML page of the built site except the theme's files and the redirects."""
    import re

    redirect = re.compile(r"""<meta\s+http-equiv=["']refresh["']""", re.IGNORECASE)
    return sorted(p.relative_to(html).as_posix() for p in Path(html).rglob("*.html")
                  if "_static" not in p.relative_to(html).parts
                  and not redirect.search(p.read_text(encoding="utf-8", errors="replace")[:2000]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=Path, help="a built site: the _build/html folder of a build")
    parser.add_argument("--pages", default="", help="comma-separated pages, e.g. notation.html (default: all)")
    parser.add_argument("--calibrate", action="store_true",
                        help="before each page, scale the CPU slowdown to the machine's benchmark index "
                             f"(4x at {REFERENCE_INDEX}), as the browser tests do")
    parser.add_argument("--against", type=Path, metavar="OTHER_HTML",
                        help="a second built site: each page is loaded from both, alternately, and compared")
    parser.add_argument("--loads", type=int, default=1, help="with --against: loads of each page from each build")
    args = parser.parse_args(argv)
    for name, html in (("html", args.html), ("--against", args.against)):
        if html is not None and not (html / "intro.html").is_file():
            parser.error(f"{name}: expected the _build/html folder of a built site, got {html} (no intro.html)")
    if args.loads < 1:
        parser.error(f"--loads: expected a whole number of at least 1, got {args.loads}")
    if args.loads > 1 and args.against is None:
        parser.error("--loads: repeats the loads of a comparison; give the other build with --against")
    only = [p.strip() for p in args.pages.split(",") if p.strip()]
    pages = [p for p in site_pages(args.html) if not only or p in only]
    load = os.getloadavg()
    print(f"profile: {MOBILE['latency_ms']} ms round trip, {MOBILE['download_bytes_per_s'] * 8 / 1e6:.1f} Mbit/s "
          f"down, {MOBILE['upload_bytes_per_s'] * 8 / 1e3:.0f} kbit/s up, CPU slowed {MOBILE['cpu_slowdown']}x, "
          f"{MOBILE['viewport']['width']} px; load average {load[0]:.2f}")
    if args.against is not None:
        return compare(args.html, args.against, pages, args.loads, args.calibrate)
    from playwright.sync_api import sync_playwright

    rows = []
    server = SiteServer(args.html)
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                print(f"benchmark index of this machine before: {benchmark_index(browser)}", flush=True)
                print(f"{'page':<42} {'KB':>6} {'LCP s':>6} {'screen s':>8} {'math s':>7} {'formulas':>8} {'CPU':>5}  "
                      "renderer")
                for name in pages:
                    profile = phone_profile(benchmark_index(browser)) if args.calibrate else MOBILE
                    r = measure_page(browser, server.origin, name, profile)
                    rows.append((name, r))
                    print(f"{name:<42} {r['bytes'] / 1024:6.0f} {r['lcp_s']:6.2f} {r['first_screen_s']:8.2f} {r['math_s']:7.2f} "
                          f"{r['formulas']:8d} {r['cpu_slowdown']:4.1f}x  {r['renderer']}"
                          + (f"  ({len(r['external'])} requests to other hosts refused)" if r["external"] else ""),
                          flush=True)
                print(f"benchmark index after: {benchmark_index(browser)}")
            finally:
                browser.close()
    finally:
        server.close()
    with_math = [r for _, r in rows if r["formulas"]]
    for label, values in (("KB", [r["bytes"] / 1024 for _, r in rows]), ("LCP s", [r["lcp_s"] for _, r in rows]),
                          ("first screen s (pages with formulas)", [r["first_screen_s"] for r in with_math]),
                          ("math s (pages with formulas)", [r["math_s"] for r in with_math])):
        if values:
            print(f"{label}: median {statistics.median(values):.2f}, min {min(values):.2f}, max {max(values):.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


def compare(new, old, pages, loads, calibrate):
    """Each page of ``pages`` loaded from ``old`` and from ``new``, ``loads`` times over, the first
    of the two alternating; per page the median first screen and whole page of each build, and
    new / old of the whole page."""
    from playwright.sync_api import sync_playwright

    missing = [p for p in pages if not (old / p).is_file()]
    if missing:
        print(f"not in {old}, left out: {', '.join(missing)}")
    pages = [p for p in pages if p not in missing]
    if not pages:
        print("no page of both builds to compare (see --pages)")
        return 1
    servers = {"old": SiteServer(old), "new": SiteServer(new)}
    times = {(p, build): [] for p in pages for build in servers}
    ratios = []
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                print(f"old: {old}\nnew: {new}\n{loads} load(s) of each page from each, alternately; medians in s")
                print(f"{'page':<42} {'first screen old':>16} {'new':>6} {'whole page old':>15} {'new':>6} {'new/old':>8}")
                for name in pages:
                    for i in range(loads):
                        for build, server in list(servers.items())[::1 if i % 2 == 0 else -1]:
                            profile = phone_profile(benchmark_index(browser)) if calibrate else MOBILE
                            times[name, build].append(measure_page(browser, server.origin, name, profile))
                    median = {(build, key): statistics.median(r[key] for r in times[name, build])
                              for build in servers for key in ("first_screen_s", "math_s")}
                    ratios.append(median["new", "math_s"] / median["old", "math_s"])
                    print(f"{name:<42} {median['old', 'first_screen_s']:16.2f} {median['new', 'first_screen_s']:6.2f} "
                          f"{median['old', 'math_s']:15.2f} {median['new', 'math_s']:6.2f} {ratios[-1]:8.2f}", flush=True)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.close()
    for build in servers:
        slowest = max(pages, key=lambda p: statistics.median(r["math_s"] for r in times[p, build]))
        print(f"{build}: slowest whole page {slowest}, "
              f"{statistics.median(r['math_s'] for r in times[slowest, build]):.2f} s (median); slowest single load "
              f"{max(r['math_s'] for p in pages for r in times[p, build]):.2f} s")
    print(f"whole page new/old: median {statistics.median(ratios):.2f}, min {min(ratios):.2f}, max {max(ratios):.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
