/* The companion's one script: formulas wider than their column.
   A display formula that is wider than the column scrolls sideways (companion.css shows it with
   an edge shadow); a keyboard can scroll it only if it can take the focus, so each such formula
   joins the tab order, and only those: every other formula stays out of it. An inline formula
   wider than the column gets the same treatment, so that a phone's screen never scrolls
   sideways. The formulas are KaTeX's, typeset when the site was built (_ext/katex_math.py);
   their widths are final once the fonts have loaded. Rechecked on resize. */
(() => {
  function mark() {
    document.querySelectorAll(".katex-display, span.math > .katex").forEach((el) => {
      const display = el.classList.contains("katex-display");
      if (!display) el.classList.remove("bp-wide");
      const parent = el.parentElement;
      const wide = display ? el.scrollWidth > el.clientWidth + 1
                           : parent && el.getBoundingClientRect().width > parent.clientWidth + 1;
      if (!display && wide) el.classList.add("bp-wide");
      if (wide) el.tabIndex = 0;
      else if (el.tabIndex >= 0) el.tabIndex = -1;
    });
  }
  function start() {
    mark();
    document.fonts.ready.then(mark);
    let timer = null;
    window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(mark, 150); });
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
