// One KaTeX for the whole site build (_ext/katex_math.py starts it once per build process).
// Reads one request per line on stdin, {"tex": "...", "display": true|false}, and writes one
// answer per line on stdout: {"html": "...", "warnings": [...]} or {"error": "..."}.
// The HTML is KaTeX's HTML beside its MathML (output "htmlAndMathml"): the page shows the first
// and screen readers read the second. Nothing throws past a request: an error is an answer,
// which the build turns into a warning naming the page and the formula.
"use strict";
const katex = require(process.argv[2]);
const readline = require("readline");

const lines = readline.createInterface({input: process.stdin, terminal: false});
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    const warnings = [];
    const html = katex.renderToString(request.tex, {
      displayMode: !!request.display,
      output: "htmlAndMathml",
      throwOnError: true,
      trust: false,
      // what KaTeX accepts but LaTeX would not (e.g. Unicode text in math mode): a warning each
      strict: (code, message) => { warnings.push(`${code}: ${message}`); return "ignore"; },
    });
    answer = {html, warnings};
  } catch (error) {
    answer = {error: String(error && error.message ? error.message : error)};
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
