/* The companion's one script: formulas wider than their column.
   A display formula that is wider than the column scrolls sideways (companion.css shows it with
   an edge shadow); a keyboard can scroll it only if it can take the focus, so each such formula
   joins the tab order, and only those: every other formula stays out of it. An inline formula
   wider than the column gets the same treatment, so that a phone's screen never scrolls
   sideways. The formulas are KaTeX's, typeset when the site was built (_ext/katex_math.py).
   A formula is judged when it is first laid out and again whenever its box or its column
   changes size: when the screen turns, when the theme's scripts (which run after the page is
   drawn, _ext/deferred_scripts.py) or an opened dropdown change the column; and once its fonts
   have arrived. */
(() => {
  function mark(el) {
    const display = el.classList.contains("katex-display");
    if (!display) el.classList.remove("bp-wide");
    const parent = el.parentElement;
    const wide = display ? el.scrollWidth > el.clientWidth + 1
                         : parent && el.getBoundingClientRect().width > parent.clientWidth + 1;
    if (!display && wide) el.classList.add("bp-wide");
    if (wide) el.tabIndex = 0;
    else if (el.tabIndex >= 0) el.tabIndex = -1;
  }
  const formulas = [...document.querySelectorAll(".katex-display, span.math > .katex")];
  const formulaOf = new Map();  // an observed box -> the formula whose width it decides
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => mark(formulaOf.get(entry.target))));
  for (const el of formulas) {
    // a display formula is its own column; an inline one sits in a span.math that the column bounds
    for (const box of el.classList.contains("katex-display") ? [el] : [el, el.parentElement]) {
      formulaOf.set(box, el);
      observer.observe(box);
    }
  }
  // a display formula's box keeps the column's width when its fonts widen what it holds
  document.fonts.ready.then(() => formulas.forEach(mark));
})();
