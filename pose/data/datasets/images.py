"""Image headers and image files shared by the dataset readers."""

import os
import shutil
from pathlib import Path

from PIL import Image


def image_size(path):
    """(width, height) from the image header, or a reason string when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        return "missing"
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, SyntaxError) as error:
        return f"unreadable ({error.__class__.__name__})"


def link_or_copy_files(names, source_root, destination):
    """Put ``source_root/name`` at ``destination/name`` for every name: a hard link where the two
    folders share a file system (no extra disk), a copy otherwise.

    Used for datasets a user already has on disk, so the pipeline's ``data/raw`` holds exactly the
    images the crops come from without duplicating them.

    Returns:
        "hard links" or "copies", for the log.
    """
    source_root, destination = Path(source_root), Path(destination)
    how = "hard links"
    for name in names:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source_root / name, target)
        except OSError:  # another file system, or links not allowed there
            shutil.copy2(source_root / name, target)
            how = "copies"
    return how
