"""Resumable, verified downloads over HTTP(S), ``file://`` URLs and local paths.

A file is fetched into ``NAME.part`` next to its destination. An interrupted transfer resumes
from the bytes already on disk (an HTTP ``Range`` request, or a seek for local files); failed
attempts are retried with exponential back-off. Once complete, the file is checked (sha256
when one is configured, plus a format check supplied by the caller) and only then renamed to
its final name, so a file with the final name is always complete and verified.

Mirrors: set ``POSE_MIRROR`` to a folder, a ``file://`` URL or an ``http(s)://`` base URL that
holds the same relative paths as the upstream hosts (e.g. ``lspet/lspet_dataset.zip``).
"""

import hashlib
import http.client
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tqdm import tqdm

from pose.errors import PoseError

MIRROR_ENV = "POSE_MIRROR"
CHUNK_BYTES = 1 << 20


def resolve_source(upstream_url, mirror_path, mirror=None):
    """The URL or local path to fetch from: the mirror copy when a mirror is set, else upstream.

    ``mirror`` defaults to the ``POSE_MIRROR`` environment variable; ``mirror_path`` is the
    file's path relative to the mirror root.
    """
    mirror = os.environ.get(MIRROR_ENV, "") if mirror is None else mirror
    if not mirror:
        return upstream_url
    if "://" in mirror:
        return mirror.rstrip("/") + "/" + mirror_path
    local = Path(mirror).expanduser().resolve() / mirror_path
    if not local.is_file():
        raise PoseError(
            f"{MIRROR_ENV}={mirror} has no {mirror_path}; put the file there or unset {MIRROR_ENV} "
            f"to download from {upstream_url}."
        )
    return str(local)


class _Stream:
    """An open byte stream from ``offset`` on, with the total size if the source knows it."""

    def __init__(self, handle, offset, total):
        self.handle, self.offset, self.total = handle, offset, total


def _open_local(path, offset):
    if not path.is_file():
        raise PoseError(f"{path} does not exist; check the mirror folder or URL.")
    handle = path.open("rb")
    total = path.stat().st_size
    handle.seek(min(offset, total))
    return _Stream(handle, min(offset, total), total)


def _open_http(url, offset, timeout_s):
    request = urllib.request.Request(url, headers={"User-Agent": "pose-pipeline/1.0"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout_s)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            # Nothing left to send: the partial file already holds every byte.
            return _Stream(None, offset, offset)
        if 400 <= error.code < 500:
            raise PoseError(f"{url} answered HTTP {error.code} {error.reason}; check the URL or mirror.") from None
        raise
    length = response.headers.get("Content-Length")
    if response.status == 206:
        content_range = response.headers.get("Content-Range", "")  # "bytes START-END/TOTAL"
        start = int(content_range.split()[1].split("-")[0]) if content_range else offset
        if start != offset:
            response.close()
            raise ConnectionError(f"server resumed at byte {start}, not {offset}")
        total = content_range.rsplit("/", 1)[-1] if "/" in content_range else ""
        total = int(total) if total.isdigit() else None
        return _Stream(response, offset, total)
    # 200: the server ignored the Range header, so the transfer starts from the first byte.
    return _Stream(response, 0, int(length) if length else None)


def _open(source, offset, timeout_s):
    parsed = urllib.parse.urlparse(source)
    if parsed.scheme in ("http", "https"):
        return _open_http(source, offset, timeout_s)
    if parsed.scheme == "file":
        return _open_local(Path(urllib.request.url2pathname(parsed.path)), offset)
    return _open_local(Path(source), offset)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def _transfer(source, partial, timeout_s, progress):
    """One attempt: append to ``partial`` from where it stops. True once the source is exhausted."""
    offset = partial.stat().st_size if partial.exists() else 0
    stream = _open(source, offset, timeout_s)
    if stream.handle is None:
        return True
    mode = "ab" if stream.offset == offset and offset else "wb"
    written = stream.offset
    with stream.handle, open(partial, mode) as out, tqdm(
        total=stream.total, initial=stream.offset, unit="B", unit_scale=True,
        desc=Path(partial.name).stem, disable=not progress, mininterval=1.0,
    ) as bar:
        while True:
            block = stream.handle.read(CHUNK_BYTES)
            if not block:
                break
            out.write(block)
            written += len(block)
            bar.update(len(block))
    if stream.total is not None and written < stream.total:
        raise ConnectionError(f"transfer ended at byte {written} of {stream.total}")
    return True


def fetch(source, destination, sha256=None, check=None, retries=5, timeout_s=60.0,
          backoff_s=1.0, progress=True):
    """Fetch ``source`` (URL or path) to ``destination``; resume, retry, verify, rename atomically.

    Args:
        source: ``http(s)://`` or ``file://`` URL, or a local path.
        destination: final path; an existing file there is verified and reused.
        sha256: expected hex digest, or ``None`` to skip that check.
        check: callable(path) raising :class:`PoseError` if the file's content is bad (e.g. zip CRC).
        retries: attempts before giving up; each resumes the partial file.
        backoff_s: wait before the second attempt, doubled each time after.
    Returns:
        ``destination`` as a :class:`Path`.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        problem = _verification_problem(destination, sha256, check)
        if problem is None:
            return destination
        print(f"{destination} is there but {problem}; downloading it again.")
        destination.unlink()
    partial = destination.with_name(destination.name + ".part")
    for attempt in range(1, retries + 1):
        try:
            _transfer(source, partial, timeout_s, progress)
            break
        except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
            if isinstance(error, FileNotFoundError):
                raise PoseError(f"{source} does not exist; check the URL or {MIRROR_ENV}.") from None
            if attempt == retries:
                raise PoseError(
                    f"could not download {source} after {retries} attempts ({error}); the partial file "
                    f"{partial} is kept, run the stage again to resume."
                ) from None
            wait = backoff_s * 2 ** (attempt - 1)
            print(f"download of {source} interrupted ({error}); attempt {attempt + 1} of {retries} in {wait:.0f} s")
            time.sleep(wait)
    problem = _verification_problem(partial, sha256, check)
    if problem is not None:
        partial.unlink()  # a complete but wrong file cannot be resumed into a right one
        raise PoseError(
            f"the file downloaded from {source} {problem}, so it was deleted; check the source "
            f"(or download.sha256 in params.yaml if you changed the data on purpose) and run again."
        )
    os.replace(partial, destination)
    return destination


def _verification_problem(path, sha256, check):
    """Why the file at ``path`` is not the expected one, or ``None`` when it passes."""
    if sha256:
        actual = sha256_of(path)
        if actual != sha256.lower():
            return f"has sha256 {actual}, not the expected {sha256}"
    if check is not None:
        try:
            check(path)
        except PoseError:
            return "is not a valid archive (format or CRC check failed)"
    return None


def check_free_space(folder, needed_bytes, purpose):
    """Raise :class:`PoseError` unless the disk holding ``folder`` has ``needed_bytes`` free.

    Checked before a long download starts, so a 13 GB transfer does not fail at 90 %.
    """
    folder = Path(folder)
    probe = folder
    while not probe.exists():  # the folder may not exist yet: ask its nearest existing parent
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free < needed_bytes:
        raise PoseError(
            f"{purpose} needs about {needed_bytes / 1e9:.1f} GB free on the disk of {folder}, which has "
            f"{free / 1e9:.1f} GB; free some space or run from a larger disk."
        )
    return free
