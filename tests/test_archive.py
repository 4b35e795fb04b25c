"""Safe extraction: zip slip refused before anything is written; corrupt archives rejected."""

import zipfile

import pytest

from pose.archive import check_zip, extract_zip, unsafe_member_reason
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
