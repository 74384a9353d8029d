"""Run the notebooks on other numeric code paths of this processor and compare their outputs.

    python scripts/cpu_paths.py                          # every chapter and exercise, on both paths
    python scripts/cpu_paths.py --path numpy chapters/05_activation_functions.ipynb

numpy picks its SIMD code at run time (its baseline, then AVX2/FMA, AVX-512, ...) and OpenBLAS picks
its kernel by processor; both change the last bits of a result. A notebook whose stored outputs hold
such bits passes on the machine that wrote them and fails on another. One environment variable for
each shows it on one machine:

- "numpy": ``NPY_DISABLE_CPU_FEATURES`` lists every feature numpy found beyond its baseline (read
  from numpy at run time), so numpy runs its baseline code;
- "openblas": ``OPENBLAS_CORETYPE`` puts OpenBLAS on an old x86 kernel.

Each is tried alone: cutting both at once can land, by chance, on the digits of the machine that
wrote the outputs (it did here, for the bold driver of chapter 10). `environment` gives the
variables, `run` executes a notebook in a kernel that has them and reports the path it really used,
and `differences` lists the cells whose outputs, as nbval compares them, come out different.
``tests/test_prose_numbers.py`` runs every notebook on both paths.
"""
import argparse
import json
import os
import platform
import sys
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose_numbers  # noqa: E402  (the module beside this script)

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("numpy", "openblas")
OLD_BLAS_KERNEL = "Prescott"  # x86 with SSE3: far from the AVX2 and AVX-512 kernels of today's machines
# nbval does not compare these (images only with nbdime; widget views carry random ids)
IGNORED = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}
# the last cell run: the path the kernel really used, so that a setting without effect is noticed
_PROBE = """import json, numpy, threadpoolctl
print(json.dumps({"numpy": numpy.show_config(mode="dicts")["SIMD Extensions"].get("found", []),
                  "openblas": sorted({lib["architecture"] for lib in threadpoolctl.threadpool_info()
                                      if lib["internal_api"] == "openblas"})}))"""


def _numpy_found():
    """The SIMD features numpy found on this processor beyond its baseline, as numpy names them."""
    return np.show_config(mode="dicts")["SIMD Extensions"].get("found", [])


def environment(path):
    """The variables that move a new kernel off this machine's default ``path``; {} if it has no other."""
    if path == "numpy":
        found = _numpy_found()
        return {"NPY_DISABLE_CPU_FEATURES": " ".join(found)} if found else {}
    if path == "openblas":
        x86 = platform.machine().lower() in ("x86_64", "amd64", "i686", "i386")
        return {"OPENBLAS_CORETYPE": OLD_BLAS_KERNEL} if x86 else {}
    raise ValueError(f"path must be one of {PATHS}; received {path!r}")


def code_path():
    """This process's numeric code path: numpy's SIMD features beyond baseline, OpenBLAS's kernels."""
    import threadpoolctl

    return {"numpy": _numpy_found(), "openblas": sorted({lib["architecture"] for lib in threadpoolctl.threadpool_info()
                                                       if lib["internal_api"] == "openblas"})}


def comparable(cell):
    """A code cell's outputs as nbval compares them: streams joined by name, rich outputs by MIME type."""
    if {"nbval-skip", "nbval-ignore-output", "skip-execution"} & set(cell.metadata.get("tags", [])):
        return None
    shown = {}
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            shown[output.name] = shown.get(output.name, "") + output.text
        elif output.output_type in ("execute_result", "display_data"):
            for mime, data in output.data.items():
                if mime not in IGNORED:
                    shown.setdefault(mime, []).append(data if isinstance(data, str) else "".join(data))
        elif output.output_type == "error":
            shown.setdefault("error", []).append(f"{output.ename}: {output.evalue}")
    return shown


def differences(stored, fresh):
    """(cell index, stored outputs, fresh outputs) for every code cell whose comparable outputs differ."""
    return [(i, a, b) for i, (old, new) in enumerate(zip(stored.cells, fresh.cells)) if old.cell_type == "code"
            for a, b in [(comparable(old), comparable(new))] if a != b]


def run(path, env):
    """Execute the notebook at ``path`` in a kernel with ``env`` added to its environment.

    Returns the fresh notebook, its prose numbers and the kernel's code path (as `code_path`)."""
    fresh = nbformat.read(path, as_version=4)
    fresh.cells.append(nbformat.v4.new_code_cell(_PROBE))
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)  # the kernel is a child process: it inherits this environment
    try:
        values = prose_numbers.run(fresh, path.parent)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
    probe = fresh.cells.pop()
    return fresh, values, json.loads(probe.outputs[0]["text"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--path", choices=PATHS + ("default",), action="append",
                        help="the code path to move off (repeatable; default: each of %(choices)s but default)")
    args = parser.parse_args()
    notebooks = args.notebooks or [p for d in ("chapters", "exercises") for p in sorted((ROOT / d).glob("*.ipynb"))]
    print("this process:", code_path())
    total = 0
    for path_name in args.path or PATHS:
        env = {} if path_name == "default" else environment(path_name)
        print(f"\n{path_name}: kernel environment {env or '(none: this machine default)'}")
        for notebook in notebooks:
            stored = nbformat.read(notebook, as_version=4)
            fresh, values, used = run(notebook, env)
            found = differences(stored, fresh) + [(i, key, (written, computed)) for i, key, written, computed
                                                 in prose_numbers.stale(stored, values)]
            total += len(found)
            print(f"{notebook.name}: {len(found)} differ (kernel used {used})", flush=True)
            for i, a, b in found:
                print(f"  cell {i}:\n    stored   {a!r}\n    computed {b!r}"[:2000])
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
