"""The README's model tables (scores, decoders, test sets, TFLite variants) rendered from reports."""

import pytest

from pose import readme_tables
from pose.errors import PoseError
from pose.joints import JOINT_NAMES


def metrics_report():
    metrics = {"decode_ms_one_image_argmax": 0.021, "decode_ms_one_image_centroid": 0.104}
    for dataset, persons in (("lspet", 1000), ("mpii", 5), ("h36m", 4)):
        metrics[f"{dataset}_persons"] = persons
        for group, value in (("all", 0.6), ("limbs12", 0.5), ("mpii", 0.55)):
            metrics[f"{dataset}_pck@0.2_{group}"] = value
            metrics[f"{dataset}_epe_px_{group}"] = 20.0
    for group in ("all", "limbs12", "mpii"):
        metrics[f"lspet_pckh-neck@0.5_{group}"] = 0.64
        metrics[f"mpii_pckh-scale@0.5_{group}"] = 0.59
        metrics[f"mpii_pck-box@0.2_{group}"] = 0.93
        metrics[f"h36m_pck-box@0.2_{group}"] = 0.96
    metrics.update({f"lspet_pck@0.2_{name}": 0.6 for name in JOINT_NAMES})
    for method, value in (("argmax", 0.589), ("centroid", 0.601)):
        metrics[f"lspet_pck@0.2_all_float_{method}"] = value
        metrics[f"lspet_pck@0.2_all_uint8_{method}"] = value + 0.001
    return metrics


def test_model_tables_come_from_the_metrics():
    blocks = readme_tables.render_blocks(metrics=metrics_report())
    assert "| PCK@0.2 (torso) | 0.600 | 0.500 | 0.550 |" in blocks["scores"]
    assert "| PCKh@0.5 (neck to head top) | 0.640 |" in blocks["scores"] and "1,000 persons" in blocks["scores"]
    assert "| `argmax` | 0.589 | 0.590 | 0.02 |" in blocks["decoders"]
    assert "quarter_offset" not in blocks["decoders"]  # only the decoders that were measured
    rows = [line for line in blocks["test-sets"].splitlines() if line.startswith("| ") and "test |" in line]
    assert rows == ["| LSPET test | 1,000 | 0.500 | 0.640 (neck) |  | 20.0 |",
                    "| MPII test | 5 | 0.500 | 0.590 (scale) | 0.930 | 20.0 |",
                    "| Human3.6M test | 4 | 0.500 |  | 0.960 | 20.0 |"]


def test_export_table_lists_keras_and_each_variant():
    export = {"keras_pck@0.2_all": 0.6012, "keras_pck@0.2_limbs12": 0.5403}
    for variant, size in (("float32", 7_948_816), ("int8", 2_510_304)):
        export.update({f"{variant}_pck@0.2_all": 0.6, f"{variant}_pck@0.2_limbs12": 0.54, f"{variant}_size_bytes": size,
                       f"{variant}_latency_ms_1_thread": 2.0, f"{variant}_latency_ms_2_threads": 1.0})
    text = readme_tables.render_blocks(export=export)["export"]
    assert "| Keras | 0.6012 | 0.5403 |  |  |  |" in text
    assert "| int8 | 0.6000 | 0.5400 | 2.51 MB | 2.00 ms | 1.00 ms |" in text and "float16" not in text


def test_metrics_without_a_decoder_comparison_say_what_to_run():
    with pytest.raises(PoseError, match="dvc repro evaluate"):
        readme_tables.render_scores({"lspet_persons": 3})


def test_named_blocks_are_replaced_independently():
    text = "a\n<!-- scores:begin -->\nold\n<!-- scores:end -->\nb\n<!-- export:begin -->\nx\n<!-- export:end -->\n"
    assert readme_tables.blocks_in(text) == ["scores", "export"]
    updated = readme_tables.replace_between_markers(text, "new", name="scores")
    assert updated == text.replace("old", "new")
