"""The notebooks the scripts rewrite: every one in chapters/ and exercises/, blank copies included."""
NOTEBOOK_DIRS = ("chapters", "exercises")


def notebooks(root):
    """Every notebook in chapters/ and exercises/ below ``root``, blank copies included (checkpoints excluded)."""
    for folder in NOTEBOOK_DIRS:
        for path in sorted((root / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts:
                yield path
