"""Safe extraction: zip slip refused before anything is written; corrupt archives rejected."""

import zipfile

import pytest

from pose.data.archive import check_tar, check_zip, extract_archives, extract_zip, unsafe_member_reason
from pose.errors import PoseError


@pytest.mark.parametrize("name", ["../evil.txt", "images/../../evil.txt", "/etc/evil", "C:\\evil", "a\\..\\..\\evil"])
def test_zip_slip_members_are_refused(tmp_path, name):
    archive = tmp_path / "slip.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("fine.txt", "ok")
        handle.writestr(name, "evil")
    with pytest.raises(PoseError, match="refusing to extract"):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_safe_names_pass():
    assert unsafe_member_reason("images/im00001.jpg") is None
    assert unsafe_member_reason("a..b/c") is None


def test_extracts_upstream_layout(lspet_zip, tmp_path):
    out = extract_zip(lspet_zip, tmp_path / "raw")
    assert (out / "joints.mat").is_file() and (out / "images" / "im00001.jpg").is_file()


def test_extraction_replaces_previous_folder(lspet_zip, tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "stale.txt").write_text("old")
    extract_zip(lspet_zip, tmp_path / "raw")
    assert not (tmp_path / "raw" / "stale.txt").exists()


def test_truncated_zip_is_rejected(lspet_zip, tmp_path):
    truncated = tmp_path / "cut.zip"
    truncated.write_bytes(lspet_zip.read_bytes()[:-500])
    with pytest.raises(PoseError, match="not a readable zip"):
        check_zip(truncated)


def _tar(path, members):
    """A .tar.gz with ``members`` {name: bytes}."""
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "images/../../evil.txt"])
def test_tar_slip_members_are_refused(tmp_path, name):
    archive = _tar(tmp_path / "slip.tar.gz", {"images/fine.jpg": b"ok", name: b"evil"})
    with pytest.raises(PoseError, match="refusing to extract"):
        extract_archives([archive], tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.txt").exists()


def test_tar_link_leaving_the_folder_is_refused_by_the_data_filter(tmp_path):
    import tarfile

    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("images/passwd")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(info)
    with pytest.raises(PoseError, match="refusing"):
        extract_archives([path], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_tar_and_a_zip_extract_into_one_folder(tmp_path, lspet_zip):
    images = _tar(tmp_path / "images.tar.gz", {"images/a.jpg": b"a", "images/b.jpg": b"bb"})
    out = extract_archives([images, lspet_zip], tmp_path / "raw")
    assert (out / "images" / "b.jpg").read_bytes() == b"bb" and (out / "joints.mat").is_file()


def test_truncated_tar_gz_fails_its_check(tmp_path):
    images = _tar(tmp_path / "images.tar.gz", {f"images/{i}.bin": bytes(range(256)) * 400 for i in range(5)})
    check_tar(images)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(images.read_bytes()[: images.stat().st_size // 2])
    with pytest.raises(PoseError, match="not a readable tar"):
        check_tar(truncated)


def test_free_space_check_names_the_need(tmp_path):
    from pose.data.download import check_free_space

    assert check_free_space(tmp_path / "not" / "yet", 1, "test") > 0
    with pytest.raises(PoseError, match=r"downloading mpii needs about 1000000000.0 GB free on the disk of"):
        check_free_space(tmp_path, 10**18, "downloading mpii")
