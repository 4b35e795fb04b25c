"""Download over real HTTP on 127.0.0.1: resume, retries, verification, mirrors."""

import hashlib

import pytest

from pose.data.archive import check_zip
from pose.data.download import fetch, resolve_source
from pose.errors import PoseError


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_full_download_is_verified_and_renamed(file_server, lspet_zip, tmp_path):
    body = lspet_zip.read_bytes()
    file_server.files["/lspet.zip"] = body
    out = fetch(f"{file_server.url}/lspet.zip", tmp_path / "dl" / "lspet.zip", sha256=sha256(body),
                check=check_zip, progress=False)
    assert out.read_bytes() == body
    assert not (tmp_path / "dl" / "lspet.zip.part").exists()


def test_cut_transfer_resumes_with_range_request(file_server, lspet_zip, tmp_path):
    body = lspet_zip.read_bytes()
    file_server.files["/lspet.zip"] = body
    file_server.cut_first, file_server.cut_at = 2, len(body) // 3
    out = fetch(f"{file_server.url}/lspet.zip", tmp_path / "lspet.zip", sha256=sha256(body),
                check=check_zip, backoff_s=0.01, progress=False)
    assert out.read_bytes() == body
    ranges = [header for _, header in file_server.requests]
    assert ranges == [None, f"bytes={len(body) // 3}-", f"bytes={2 * (len(body) // 3)}-"]


def test_existing_partial_file_is_resumed_not_restarted(file_server, tmp_path):
    body = bytes(range(256)) * 100
    file_server.files["/blob"] = body
    (tmp_path / "blob.part").write_bytes(body[:1000])
    fetch(f"{file_server.url}/blob", tmp_path / "blob", sha256=sha256(body), progress=False)
    assert file_server.requests == [("/blob", "bytes=1000-")]
    assert (tmp_path / "blob").read_bytes() == body


def test_server_ignoring_range_restarts_cleanly(file_server, tmp_path):
    body = b"abcdefghij" * 1000
    file_server.files["/blob"] = body
    file_server.ignore_range = True
    (tmp_path / "blob.part").write_bytes(b"XXXX")
    fetch(f"{file_server.url}/blob", tmp_path / "blob", sha256=sha256(body), progress=False)
    assert (tmp_path / "blob").read_bytes() == body


def test_checksum_mismatch_is_rejected_and_deleted(file_server, lspet_zip, tmp_path):
    file_server.files["/lspet.zip"] = lspet_zip.read_bytes()
    with pytest.raises(PoseError, match="sha256"):
        fetch(f"{file_server.url}/lspet.zip", tmp_path / "dl" / "lspet.zip", sha256="0" * 64, progress=False)
    assert not list((tmp_path / "dl").iterdir())


def test_corrupt_archive_is_rejected(file_server, lspet_zip, tmp_path):
    body = bytearray(lspet_zip.read_bytes())
    body[len(body) // 2] ^= 0xFF  # one flipped byte inside a member: the CRC test fails
    file_server.files["/lspet.zip"] = bytes(body)
    with pytest.raises(PoseError, match="not a valid archive"):
        fetch(f"{file_server.url}/lspet.zip", tmp_path / "lspet.zip", check=check_zip, progress=False)
    assert not (tmp_path / "lspet.zip").exists()


def test_gives_up_after_retries_and_keeps_partial(file_server, tmp_path):
    body = b"x" * 10000
    file_server.files["/blob"] = body
    file_server.cut_first, file_server.cut_at = 10, 100
    with pytest.raises(PoseError, match="after 3 attempts.*resume"):
        fetch(f"{file_server.url}/blob", tmp_path / "blob", retries=3, backoff_s=0.01, progress=False)
    assert (tmp_path / "blob.part").stat().st_size == 300


def test_missing_url_says_so(file_server, tmp_path):
    with pytest.raises(PoseError, match="HTTP 404"):
        fetch(f"{file_server.url}/nothing.zip", tmp_path / "x.zip", progress=False)


def test_verified_file_is_not_downloaded_again(file_server, tmp_path):
    body = b"payload"
    (tmp_path / "blob").write_bytes(body)
    fetch(f"{file_server.url}/blob", tmp_path / "blob", sha256=sha256(body), progress=False)
    assert file_server.requests == []


def test_mirror_folder_and_file_url(lspet_zip, tmp_path, monkeypatch):
    mirror = lspet_zip.parents[1]
    monkeypatch.setenv("POSE_MIRROR", str(mirror))
    local = resolve_source("http://upstream/lspet_dataset.zip", "lspet/lspet_dataset.zip")
    assert local == str(lspet_zip)
    monkeypatch.setenv("POSE_MIRROR", mirror.as_uri())
    url = resolve_source("http://upstream/lspet_dataset.zip", "lspet/lspet_dataset.zip")
    assert url == lspet_zip.as_uri()
    out = fetch(url, tmp_path / "copy.zip", check=check_zip, progress=False)
    assert out.read_bytes() == lspet_zip.read_bytes()


def test_mirror_without_the_file_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("POSE_MIRROR", str(tmp_path))
    with pytest.raises(PoseError, match="POSE_MIRROR=.* has no lspet/lspet_dataset.zip"):
        resolve_source("http://upstream/lspet_dataset.zip", "lspet/lspet_dataset.zip")


def test_no_mirror_means_upstream(no_mirror):
    assert resolve_source("http://upstream/a.zip", "x/a.zip") == "http://upstream/a.zip"
