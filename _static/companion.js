/* The companion's one script: formulas wider than their column.
   A display formula that is wider than the column scrolls sideways (companion.css shows it with
   an edge shadow); a keyboard can scroll it only if it can take the focus, so each such formula
   joins the tab order, and only those: every other formula stays out of it (MathJax's menu is
   out of the tab order, see _ext/companion.py). An inline formula wider than the column gets
   the same treatment, so that a phone's screen never scrolls sideways. Rechecked on resize. */
(() => {
  function mark() {
    document.querySelectorAll("mjx-container").forEach((el) => {
      const display = el.getAttribute("display") === "true";
      if (!display) el.classList.remove("bp-wide");
      const parent = el.parentElement;
      const wide = display ? el.scrollWidth > el.clientWidth + 1
                           : parent && el.getBoundingClientRect().width > parent.clientWidth + 1;
      if (!display && wide) el.classList.add("bp-wide");
      if (wide) {
        el.tabIndex = 0;
        if (!el.hasAttribute("aria-label") && !el.querySelector("mjx-assistive-mml")) el.setAttribute("aria-label", "formula");
      } else if (el.tabIndex >= 0) {
        el.tabIndex = -1;
      }
    });
  }
  function start() {
    const ready = window.MathJax && MathJax.startup && MathJax.startup.promise;
    (ready || Promise.resolve()).then(mark);
    let timer = null;
    window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(mark, 150); });
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
