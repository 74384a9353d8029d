// Runs in the browser (scripts/build_pdf.py, through Playwright's page.evaluate) on the built site's
// landing page, served from 127.0.0.1: it replaces the page with the whole book, ready to print.
//
// Every page of the book is fetched, as the site built it, and its article is put into this one
// document, in the order of _toc.yml: ids get the page's prefix (two pages may both have a
// section "summary"), links between pages become links inside the PDF, links to anything else
// go to the published site. The players show their first and last frames; collapsed code
// (hide-input) and the site's buttons are left out; the self-check answers and the exercises'
// solutions move to an appendix, each with a line at its place pointing there. Then the formulas
// are typeset (MathJax, if the site uses it in the browser; a site whose formulas were rendered
// at build time needs nothing) and the stylesheets, fonts and pictures are waited for.
//
// Argument: {parts: [{caption, pages: [{docname, url}]}], front: {...}, published, rootTitle}.
// Returns {contents: [{id, title}], broken: [pictures that did not load]} for build_pdf.py.
async (args) => {
  const {parts, front, published, rootTitle} = args;
  const pageId = (docname) => "bp-" + docname.replace(/[^A-Za-z0-9_-]/g, "-");
  const inBook = new Map();
  for (const part of parts) for (const p of part.pages) inBook.set(new URL(p.url).pathname, p.docname);

  // ---- fetch every page as the site built it
  const fetched = [];
  for (const part of parts) {
    for (const p of part.pages) {
      const response = await fetch(p.url);
      if (!response.ok) throw new Error(`${p.url}: HTTP ${response.status}`);
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      fetched.push({part, p, doc});
    }
  }

  // ---- the stylesheets of every page, once each, and the math scripts if the site typesets in the browser
  const have = new Set([...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => l.href));
  const mathScripts = [];
  const seenScripts = new Set();
  for (const {p, doc} of fetched) {
    for (const link of doc.querySelectorAll('link[rel~="stylesheet"]')) {
      const href = new URL(link.getAttribute("href"), p.url).href;
      if (have.has(href)) continue;
      have.add(href);
      const copy = document.createElement("link");
      copy.rel = "stylesheet";
      copy.href = href;
      document.head.append(copy);
    }
    for (const script of doc.querySelectorAll("script")) {
      const src = script.getAttribute("src");
      const key = src ? new URL(src, p.url).href : script.textContent;
      const isMath = src ? /mathjax/i.test(src) : /\bMathJax\b/.test(script.textContent);
      if (!isMath || seenScripts.has(key)) continue;
      seenScripts.add(key);
      mathScripts.push(src ? {src: key} : {text: script.textContent});
    }
  }

  // ---- one page of the site, made a section of the book
  const answers = [];
  const rewriteUrl = (value, base) => new URL(value, base).href;
  function adopt(part, p, doc) {
    const article = doc.querySelector("article.bd-article") || doc.querySelector("main") || doc.body;
    const prefix = pageId(p.docname);
    for (const el of article.querySelectorAll("[src]")) el.setAttribute("src", rewriteUrl(el.getAttribute("src"), p.url));
    for (const el of article.querySelectorAll("[srcset]")) {
      el.setAttribute("srcset", el.getAttribute("srcset").split(",").map((item) => {
        const [url, ...rest] = item.trim().split(/\s+/);
        return [rewriteUrl(url, p.url), ...rest].join(" ");
      }).join(", "));
    }
    for (const img of article.querySelectorAll("img")) img.loading = "eager";
    for (const el of article.querySelectorAll("[id]")) el.id = `${prefix}--${el.id}`;
    for (const attr of ["aria-labelledby", "aria-describedby", "aria-controls", "for", "headers"]) {
      for (const el of article.querySelectorAll(`[${attr}]`)) {
        el.setAttribute(attr, el.getAttribute(attr).split(/\s+/).map((id) => `${prefix}--${id}`).join(" "));
      }
    }
    for (const a of article.querySelectorAll("a[href]")) {
      const raw = a.getAttribute("href");
      if (raw.startsWith("#")) {
        if (raw.length > 1) a.setAttribute("href", `#${prefix}--${decodeURIComponent(raw.slice(1))}`);
        continue;
      }
      const url = new URL(raw, p.url);
      if (url.origin !== location.origin) continue;
      const target = inBook.get(url.pathname);
      if (target) {
        const hash = url.hash ? `--${decodeURIComponent(url.hash.slice(1))}` : "";
        a.setAttribute("href", `#${pageId(target)}${hash}`);
      } else {
        a.setAttribute("href", new URL(url.pathname.replace(/^\//, "") + url.search + url.hash, published).href);
      }
    }
    // what only works on screen: permalinks, collapsed code, widgets, the players' controls and scripts
    article.querySelectorAll("a.headerlink, details.hide.above-input, .bp-player-controls").forEach((el) => el.remove());
    article.querySelectorAll('script[type*="jupyter.widget"], .jupyter-widgets, .widget-area, .jupyter-widgets-view')
      .forEach((el) => el.remove());
    for (const player of article.querySelectorAll(".bp-player")) {
      const json = player.querySelector('script[type="application/json"]');
      const data = JSON.parse(json.textContent);
      const frames = [player.querySelector("img").getAttribute("src"), ...data.frames.map((f) => rewriteUrl(f, p.url))];
      const frameBox = document.createElement("div");
      frameBox.className = "bp-pdf-frames";
      const n = frames.length;
      for (const [i, name] of [[0, "First frame"], [n - 1, "Last frame"]]) {
        const figure = document.createElement("figure");
        const img = document.createElement("img");
        img.src = frames[i];
        img.alt = data.alts[i];
        const caption = document.createElement("figcaption");
        caption.textContent = `${name} (${i + 1} of ${n})`;
        figure.append(img, caption);
        frameBox.append(figure);
      }
      player.replaceWith(frameBox);
    }
    article.querySelectorAll("script").forEach((el) => el.remove());

    // headings one level down inside a part, so that the PDF's outline reads part > page > section
    const shift = part.caption ? 1 : 0;
    let title = null;
    for (const h of [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]) {
      const level = Math.min(6, Number(h.tagName[1]) + shift);
      const copy = document.createElement(`h${level}`);
      for (const {name, value} of h.attributes) copy.setAttribute(name, value);
      copy.append(...h.childNodes);
      h.replaceWith(copy);
      if (!title) {
        title = copy;
        copy.classList.add("bp-page-title");
      }
    }
    if (!part.caption && rootTitle && title) title.textContent = rootTitle;
    const pageTitle = title ? title.textContent.trim() : p.docname;

    // the chapters' self-check answers (<details>) and the exercises' solutions, to the appendix
    const moved = [];
    for (const box of article.querySelectorAll("details:not(.hide), div.solution")) {
      if (box.parentElement.closest("details:not(.hide), div.solution")) continue;
      moved.push(box);
    }
    moved.forEach((box, i) => {
      const isAnswer = box.tagName === "DETAILS";
      const answerId = `${prefix}--bp-answer-${i + 1}`;
      const questionId = `${prefix}--bp-question-${i + 1}`;
      const pointer = document.createElement("p");
      pointer.className = "bp-pdf-see-answer";
      pointer.id = questionId;
      const link = document.createElement("a");
      link.href = `#${answerId}`;
      link.textContent = "in the appendix, Answers and solutions";
      pointer.append(isAnswer ? "The answer is " : "The solution is ", link, ".");
      box.before(pointer);

      const entry = document.createElement("section");
      entry.className = "bp-answers-entry";
      entry.id = answerId;
      const heading = document.createElement("p");
      heading.className = "bp-answers-entry-title";
      const back = document.createElement("a");
      back.href = `#${questionId}`;
      heading.append(back);
      if (isAnswer) {
        const summary = box.querySelector(":scope > summary");
        const exercise = box.closest(".exercise, .admonition");
        const exerciseTitle = exercise && exercise.querySelector(".admonition-title");
        const section = box.closest("section");
        const sectionTitle = section && section.querySelector("h1, h2, h3, h4, h5, h6");
        back.textContent = exerciseTitle ? exerciseTitle.textContent.trim()
          : sectionTitle ? sectionTitle.textContent.trim() : "Answer";
        if (summary) summary.remove();
        entry.append(heading, ...box.childNodes);
        box.remove();
      } else {
        const solutionTitle = box.querySelector(":scope > .admonition-title");
        back.textContent = solutionTitle ? solutionTitle.textContent.trim() : "Solution";
        if (solutionTitle) solutionTitle.remove();
        box.classList.remove("dropdown");
        entry.append(heading, box);
      }
      answers.push({page: pageTitle, prefix, entry});
    });

    const section = document.createElement("section");
    section.className = "bp-page";
    section.id = prefix;
    section.append(...article.childNodes);
    return {section, title: pageTitle};
  }

  // ---- the book: title page, contents, parts, appendix
  const book = document.createElement("div");
  book.className = "bp-book";
  const contents = [];
  const titlePage = document.createElement("div");
  titlePage.className = "bp-front bp-title-page";
  const credits = front.credits.map((line) => `<p>${line}</p>`).join("");
  titlePage.innerHTML = `<div><p class="bp-book-title">${front.title}</p><p class="bp-book-subtitle">${front.subtitle}</p></div>`
    + `<div class="bp-book-credits">${credits}</div>`;
  const contentsPage = document.createElement("nav");
  contentsPage.className = "bp-front bp-contents";
  contentsPage.setAttribute("aria-label", "Contents");
  contentsPage.innerHTML = '<h1 class="bp-contents-title" id="bp-contents">Contents</h1>';
  const contentsList = document.createElement("ol");
  contentsPage.append(contentsList);
  book.append(titlePage, contentsPage);

  const entryFor = (id, title, list) => {
    const li = document.createElement("li");
    li.innerHTML = `<a href="#${id}"><span class="bp-contents-text"></span><span class="bp-contents-dots"></span>`
      + `<span class="bp-contents-page" data-for="${id}">000</span></a>`;
    li.querySelector(".bp-contents-text").textContent = title;
    list.append(li);
    contents.push({id, title});
    return li;
  };

  let partIndex = 0;
  for (const part of parts) {
    let list = contentsList;
    if (part.caption) {
      partIndex += 1;
      const id = `bp-part-${partIndex}`;
      const heading = document.createElement("h1");
      heading.className = "bp-part-title";
      heading.id = id;
      heading.textContent = part.caption;
      book.append(heading);
      const li = entryFor(id, part.caption, contentsList);
      li.className = "bp-contents-part";
      list = document.createElement("ol");
      li.append(list);
    }
    for (const {p, doc} of fetched.filter((f) => f.part === part)) {
      const {section, title} = adopt(part, p, doc);
      book.append(section);
      entryFor(section.id, title, list);
    }
  }
  if (answers.length) {
    const heading = document.createElement("h1");
    heading.className = "bp-part-title";
    heading.id = "bp-answers";
    heading.textContent = "Answers and solutions";
    book.append(heading);
    const li = entryFor(heading.id, heading.textContent, contentsList);
    li.className = "bp-contents-part";
    const appendix = document.createElement("section");
    appendix.className = "bp-page bp-answers";
    let current = null;
    for (const {page, prefix, entry} of answers) {
      if (current !== prefix) {
        current = prefix;
        const h = document.createElement("h2");
        h.textContent = page;
        h.id = `bp-answers-${prefix}`;
        appendix.append(h);
      }
      appendix.append(entry);
    }
    book.append(appendix);
  }

  // ---- replace the landing page with the book, in the theme's own containers so its styles apply
  document.documentElement.classList.add("bp-pdf");
  document.documentElement.dataset.theme = "light";
  document.documentElement.dataset.mode = "light";
  const main = document.createElement("main");
  main.className = "bd-main";
  main.innerHTML = '<div class="bd-content"><div class="bd-article-container"><article class="bd-article"></article></div></div>';
  main.querySelector("article").append(book);
  document.body.replaceChildren(main);

  // ---- formulas, stylesheets, fonts, pictures
  const loaded = [...document.querySelectorAll('link[rel~="stylesheet"]')].map((link) =>
    link.sheet ? Promise.resolve() : new Promise((resolve) => { link.onload = link.onerror = resolve; }));
  await Promise.all(loaded);
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    await window.MathJax.startup.promise;
    if (window.MathJax.typesetClear) window.MathJax.typesetClear();
    await window.MathJax.typesetPromise();
  } else if (mathScripts.length) {
    for (const s of mathScripts) {
      const el = document.createElement("script");
      if (s.text !== undefined) {
        el.textContent = s.text;
        document.head.append(el);
      } else {
        await new Promise((resolve, reject) => {
          el.src = s.src;
          el.onload = resolve;
          el.onerror = () => reject(new Error(`could not load ${s.src}`));
          document.head.append(el);
        });
      }
    }
    // MathJax typesets the document when it starts
    for (let i = 0; i < 200 && !(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) await window.MathJax.startup.promise;
  }
  await document.fonts.ready;
  const images = [...document.images];
  for (const img of images) img.loading = "eager";  // the site's lazy images: a PDF prints them all
  await Promise.all(images.map((img) => img.complete ? null : new Promise((r) => { img.onload = img.onerror = r; })));
  const broken = images.filter((img) => !img.naturalWidth).map((img) => img.getAttribute("src").slice(0, 120));
  return {contents, broken};
}
