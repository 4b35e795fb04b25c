"""Integrity checks and safe extraction of downloaded archives."""

import os
import zipfile
from pathlib import Path, PurePosixPath

from pose.errors import PoseError
from pose.fileio import atomic_path


def check_zip(path):
    """Raise :class:`PoseError` unless ``path`` is a readable zip whose members all pass their CRC."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad_member = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PoseError(f"{path} is not a readable zip archive ({error}); delete it and download again.") from None
    if bad_member is not None:
        raise PoseError(f"{path} is corrupt (CRC mismatch in {bad_member}); delete it and download again.")


def unsafe_member_reason(name):
    """Why an archive member name would escape the extraction folder, or ``None`` if it is safe."""
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if ".." in posix.parts:
        return "climbs out of the folder with '..'"
    return None


def extract_zip(path, destination):
    """Extract every member of the zip at ``path`` into the folder ``destination``, atomically.

    Refuses the whole archive if any member name is absolute or contains ``..`` (zip slip),
    before writing anything. ``destination`` is replaced whole once extraction succeeds.
    """
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            reason = unsafe_member_reason(info.filename)
            if reason:
                raise PoseError(
                    f"{path} member {info.filename!r} {reason}; refusing to extract this archive."
                )
        with atomic_path(destination) as temporary:
            temporary.mkdir()
            root = temporary.resolve()
            for info in archive.infolist():
                target = (temporary / info.filename).resolve()
                # Belt and braces: the resolved target must stay inside the folder.
                if os.path.commonpath([root, target]) != str(root):
                    raise PoseError(f"{path} member {info.filename!r} escapes the folder; refusing.")
                archive.extract(info, temporary)
    return Path(destination)
