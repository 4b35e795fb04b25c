"""Integrity checks and safe extraction of downloaded archives."""

import os
import tarfile
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


def is_tar(path):
    return str(path).endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))


def check_tar(path):
    """Raise :class:`PoseError` unless every member of the (compressed) tar at ``path`` reads to its end.

    Reading the whole stream makes gzip verify its CRC and length trailer, so a truncated or
    damaged download is caught before it is renamed into place.
    """
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if member.isfile():
                    with archive.extractfile(member) as handle:
                        while handle.read(1 << 20):
                            pass
    except (tarfile.TarError, OSError, EOFError) as error:
        raise PoseError(f"{path} is not a readable tar archive ({error}); delete it and download again.") from None


def checker_for(name):
    """The integrity check for an archive named ``name`` (its kind by extension, whatever the file
    it is run on is called, e.g. ``NAME.part`` while downloading): zip CRCs, or a full read of a tar."""
    return check_tar if is_tar(name) else check_zip


def unsafe_member_reason(name):
    """Why an archive member name would escape the extraction folder, or ``None`` if it is safe."""
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if ".." in posix.parts:
        return "climbs out of the folder with '..'"
    return None


def _member_names(path):
    if is_tar(path):
        with tarfile.open(path, "r:*") as archive:
            return archive.getnames()
    with zipfile.ZipFile(path) as archive:
        return [info.filename for info in archive.infolist()]


def _extract_zip_into(path, folder):
    root = folder.resolve()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            target = (folder / info.filename).resolve()
            # Belt and braces: the resolved target must stay inside the folder.
            if os.path.commonpath([root, target]) != str(root):
                raise PoseError(f"{path} member {info.filename!r} escapes the folder; refusing.")
            archive.extract(info, folder)


def _extract_tar_into(path, folder):
    with tarfile.open(path, "r:*") as archive:
        try:
            # The "data" filter refuses absolute names, "..", links leaving the folder and device
            # files, and drops set-uid bits and ownership.
            archive.extractall(folder, filter="data")
        except tarfile.FilterError as error:
            raise PoseError(f"{path}: {error}; refusing to extract this archive.") from None


def extract_archives(paths, destination):
    """Extract every member of the zip or tar archives ``paths`` into the folder ``destination``, atomically.

    Refuses an archive if any member name is absolute or contains ``..`` (zip slip), before
    writing anything. ``destination`` is replaced whole once every archive is extracted.
    """
    for path in paths:
        for name in _member_names(path):
            reason = unsafe_member_reason(name)
            if reason:
                raise PoseError(f"{path} member {name!r} {reason}; refusing to extract this archive.")
    with atomic_path(destination) as temporary:
        temporary.mkdir()
        for path in paths:
            (_extract_tar_into if is_tar(path) else _extract_zip_into)(path, temporary)
    return Path(destination)


def extract_zip(path, destination):
    """:func:`extract_archives` for one zip."""
    return extract_archives([path], destination)
