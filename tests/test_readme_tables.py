"""The model tables (scores, decoders, test sets, TFLite variants) and the README headline rendered from reports, and where the blocks live."""

import pytest

from pose.reports import readme_tables
from pose.errors import PoseError
from pose.joints import JOINT_NAMES


def metrics_report():
    metrics = {"decode_ms_one_image_argmax": 0.021, "decode_ms_one_image_centroid": 0.104}
    for dataset, persons in (("lspet", 1000), ("mpii", 5), ("h36m", 4)):
        for protocol, shift in (("", 0.0), ("-zoom2x", -0.1), ("-zoom3x", -0.2), ("-gtcrop", 0.05)):
            metrics[f"{dataset}{protocol}_persons"] = persons
            for group, value in (("all", 0.6), ("limbs12", 0.5), ("mpii", 0.55)):
                metrics[f"{dataset}{protocol}_pck@0.2_{group}"] = value + shift
                metrics[f"{dataset}{protocol}_epe_px_{group}"] = 20.0
            if protocol != "-gtcrop":
                metrics[f"{dataset}{protocol}_found_fraction"] = 0.95
    for group in ("all", "limbs12", "mpii"):
        metrics[f"lspet_pckh-neck@0.5_{group}"] = 0.64
        metrics[f"mpii_pckh-scale@0.5_{group}"] = 0.59
        metrics[f"mpii_pck-box@0.2_{group}"] = 0.93
        metrics[f"h36m_pck-box@0.2_{group}"] = 0.96
    metrics.update({f"lspet_pck@0.2_{name}": 0.6 for name in JOINT_NAMES})
    for method, value in (("argmax", 0.589), ("centroid", 0.601)):
        metrics[f"lspet-gtcrop_pck@0.2_all_float_{method}"] = value
        metrics[f"lspet-gtcrop_pck@0.2_all_uint8_{method}"] = value + 0.001
    return metrics


def test_model_tables_come_from_the_metrics():
    blocks = readme_tables.render_blocks(metrics=metrics_report())
    assert "| whole photo (no labels) | 0.600 | 0.500 | 0.550 | 95.0% |" in blocks["scores"]
    assert "| photo in a 3x canvas | 0.400 | 0.300 | 0.350 | 95.0% |" in blocks["scores"]
    assert "| crop from the labels (upper bound) | 0.650 | 0.550 | 0.600 |  |" in blocks["scores"]
    assert "| PCKh@0.5 (neck to head top) | 0.640 |" in blocks["scores"] and "1,000 persons" in blocks["scores"]
    assert "| `argmax` | 0.589 | 0.590 | 0.02 |" in blocks["decoders"]
    assert "quarter_offset" not in blocks["decoders"]  # only the decoders that were measured
    rows = [line for line in blocks["test-sets"].splitlines() if line.startswith("| ") and "test |" in line]
    assert rows == ["| LSPET test | 1,000 | 0.500 | 0.640 (neck) |  | 20.0 | 0.550 |",
                    "| MPII test | 5 | 0.500 | 0.590 (scale) | 0.930 | 20.0 | 0.550 |",
                    "| Human3.6M test | 4 | 0.500 |  | 0.960 | 20.0 | 0.550 |"]


def export_report():
    export = {"keras_gtcrop_pck@0.2_all": 0.6012, "keras_gtcrop_pck@0.2_limbs12": 0.5403}
    for variant, size in (("float32", 7_948_816), ("int8", 2_510_304)):
        export.update({f"{variant}_pck@0.2_limbs12": 0.52, f"{variant}_zoom2x_pck@0.2_limbs12": 0.45,
                       f"{variant}_zoom3x_pck@0.2_limbs12": 0.4, f"{variant}_gtcrop_pck@0.2_limbs12": 0.54,
                       f"{variant}_size_bytes": size, f"{variant}_whole_photo_ms_1_thread": 4.0,
                       f"{variant}_whole_photo_ms_2_threads": 3.0, f"{variant}_latency_ms_1_thread": 2.0})
    return export


def test_export_table_lists_keras_and_each_variant():
    text = readme_tables.render_blocks(export=export_report())["export"]
    assert "| Keras |  |  |  | 0.540 |  |  |  |  |" in text
    assert "| int8 | 0.520 | 0.450 | 0.400 | 0.540 | 2.51 MB | 4.00 ms | 3.00 ms | 2.00 ms |" in text
    assert "float16" not in text


def test_metrics_without_a_decoder_comparison_say_what_to_run():
    with pytest.raises(PoseError, match="dvc repro evaluate"):
        readme_tables.render_scores({"lspet_persons": 3, "lspet_pck@0.2_all_float_argmax": 0.5})


def test_named_blocks_are_replaced_independently():
    text = "a\n<!-- scores:begin -->\nold\n<!-- scores:end -->\nb\n<!-- export:begin -->\nx\n<!-- export:end -->\n"
    assert readme_tables.blocks_in(text) == ["scores", "export"]
    updated = readme_tables.replace_between_markers(text, "new", name="scores")
    assert updated == text.replace("old", "new")


def peers_report():
    def entry(pck, ms, size, missed):
        return {"pck@0.2_limbs12": pck, "latency_ms_1_thread": ms, "latency_ms_2_threads": ms / 2,
                "size_bytes": size, "missed_persons": missed, "persons": 1000}

    return {"ours_int8_photo": entry(0.5, 4.0, 2_500_000, 10), "ours_float32_gtcrop": entry(0.51, 3.0, 8_000_000, 0),
            "mediapipe_full_photo": entry(0.6, 30.0, 9_400_000, 50),
            "mediapipe_full_zoom2x": entry(0.55, 30.0, 9_400_000, 80),
            "meta": {"dataset": "lspet", "split": "test", "persons": 1000}}


def test_headline_has_the_int8_model_by_input_and_mediapipe():
    text = readme_tables.render_blocks(peers=peers_report(), metrics=metrics_report(), export=export_report())["headline"]
    assert "LSPET test split, 1,000 persons" in text
    # our row from the same run as MediaPipe's (peers), n/a where that run did not measure an input
    assert "| ours, int8 TFLite (the app's model) | 0.500 | n/a | n/a | n/a | 2.51 MB | 4.0 ms |" in text
    without_ours = {key: value for key, value in peers_report().items() if not key.startswith("ours")}
    alone = readme_tables.render_blocks(peers=without_ours, metrics=metrics_report(), export=export_report())
    assert "| ours, int8 TFLite (the app's model) | 0.520 | 0.450 | 0.400 | 0.540 | 2.51 MB | 4.0 ms |" in alone["headline"]
    assert "| MediaPipe Pose full | 0.600 | 0.550 | n/a | n/a | 9.40 MB | 30.0 ms |" in text
    assert "float32" not in text  # the float models are in the full comparison only
    assert "MediaPipe scores 10.0 points above our int8 model on the limbs, at 7.5x / 7.5x" in " ".join(text.split())
    assert "headline" not in readme_tables.render_blocks(metrics=metrics_report(), export=export_report())


def test_blocks_are_located_once_across_the_pages():
    pages = {"README.md": "<!-- headline:begin -->\nx\n<!-- headline:end -->\nquoted: `<!-- NAME:begin -->`\n",
             "docs/a.md": "".join(f"<!-- {name}:begin -->\n<!-- {name}:end -->\n" for name in readme_tables.BLOCKS[1:])}
    where = readme_tables.locate_blocks(pages)
    assert where == {"headline": "README.md", **{name: "docs/a.md" for name in readme_tables.BLOCKS[1:]}}
    updated = readme_tables.update_texts(pages, {name: f"NEW {name}" for name in readme_tables.BLOCKS})
    assert "NEW headline" in updated["README.md"] and "NEW export" in updated["docs/a.md"]
    assert "NEW headline" not in updated["docs/a.md"] and "`<!-- NAME:begin -->`" in updated["README.md"]
    with pytest.raises(PoseError, match="no file has the generated block `headline`"):
        readme_tables.locate_blocks({"docs/a.md": pages["docs/a.md"]})
    with pytest.raises(PoseError, match="`scores` is in both docs/a.md and docs/b.md"):
        readme_tables.locate_blocks({**pages, "docs/b.md": "<!-- scores:begin -->\n<!-- scores:end -->\n"})
    with pytest.raises(PoseError, match="README.md has a `<!-- score:begin/end -->` marker"):
        readme_tables.locate_blocks({**pages, "README.md": pages["README.md"] + "<!-- score:end -->\n"})
