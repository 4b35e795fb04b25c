"""Pipeline benchmarks (pose/reports/benchmarking.py) on tiny inputs, and the README / docs tables generated from the reports."""

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

from pose.reports import benchmarking, readme_tables
from pose.errors import PoseError
from pose.joints import NUM_JOINTS

REPO = Path(__file__).resolve().parents[1]


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_train_split(count):
    """Params for 32x32 inputs, batch 2, and a train split of ``count`` random 32x32 samples."""
    from pose.params import params_from_dict

    params = params_from_dict({"geometry": {"input_width": 32, "input_height": 32}, "train": {"batch_size": 2}})
    rng = np.random.default_rng(0)
    arrays = {"images": rng.integers(0, 255, (count, 32, 32, 3), dtype=np.uint8),
              "keypoints": rng.uniform(0, 31, (count, NUM_JOINTS, 2)).astype(np.float32),
              "labeled": np.ones((count, NUM_JOINTS), bool)}
    return params, arrays


def peers_report():
    """A reports/peers.json as benchmarks/peers.py writes it, with round numbers."""
    def entry(pck, latency, size, missed=0, detected=None):
        result = {"pck@0.2_limbs12": pck, "latency_ms_1_thread": latency, "latency_ms_2_threads": latency / 2,
                  "size_bytes": size, "missed_persons": missed, "persons": 1000, "input": "x"}
        result.update({f"pck@0.2_{name}": pck for name in readme_tables.LIMB_JOINTS})
        if detected is not None:
            result["pck@0.2_limbs12_detected_only"] = detected
        return result

    ours = entry(0.5, 2.0, 2_500_000)
    ours.update(invoke_ms_1_thread=1.5, invoke_ms_2_threads=1.0)
    return {
        "ours_int8_gtcrop": ours, "ours_float32_gtcrop": entry(0.501, 3.0, 8_000_000),
        "ours_int8_photo": entry(0.52, 4.0, 2_500_000, missed=20),
        "mediapipe_full_crop": entry(0.45, 30.0, 9_400_000, missed=300, detected=0.8),
        "mediapipe_full_crop2x": entry(0.6, 30.0, 9_400_000, missed=50, detected=0.65),
        "mediapipe_full_photo": entry(0.55, 30.0, 9_400_000, missed=40, detected=0.6),
        "meta": {"dataset": "lspet", "split": "test", "persons": 1000, "decoder": "centroid",
                 "machine": {"processor": "Test CPU", "cpu_count": 2, "load_average_1_5_15_min": [0.1, 0.2, 0.3]},
                 "mediapipe": {"mediapipe_version": "0.10.14", "solution": "Pose(model_complexity=1)"},
                 "mediapipe_cores_busy": {"1_thread": 1.0, "2_threads": 1.1}},
    }


def bench_report():
    """A reports/bench.json as benchmarks/bench.py writes it, with round numbers."""
    decode = {"images": 10, "heatmap_shape": [32, 32, 16]}
    for name, ms in (("argmax", 0.02), ("quarter_offset", 0.07), ("dark", 0.12), ("centroid", 0.11)):
        decode[f"{name}_ms_per_image"] = ms
        decode[f"{name}_over_argmax_time_ratio"] = round(ms / 0.02, 2)
    tflite = {"runs": 10}
    for variant, ms, size in (("float32", 2.0, 7_950_000), ("float16", 2.2, 4_040_000), ("int8", 1.5, 2_510_000)):
        tflite.update({f"{variant}_size_bytes": size, f"{variant}_sha256": "0" * 64, f"{variant}_latency_ms_1_thread": ms,
                       f"{variant}_latency_ms_2_threads": ms / 2,
                       f"{variant}_over_float32_time_ratio_1_thread": ms / 2.0,
                       f"{variant}_over_float32_time_ratio_2_threads": ms / 2.0})
    return {
        "meta": {"machine": {"processor": "Test CPU", "cpu_count": 2, "load_average_1_5_15_min": [0.1, 0.2, 0.3]}},
        "heatmap_targets": {"heatmap_size": 32, "sigma": 1.5, "analytic_ms_per_sample": 0.07,
                            "blur_ms_per_sample": 0.154, "blur_over_analytic_time_ratio": 2.2,
                            "read_stored_float16_ms_per_sample": 0.06, "stored_targets_train_split_mb": 278.5},
        "input_and_training": {"batch_size": 16, "input_size": [128, 128], "cpu_cores": 2,
                               "pipeline_images_per_second": 1840.0, "model_only_frozen_images_per_second": 177.0,
                               "model_only_fine_tune_images_per_second": 50.0,
                               "pipeline_fed_frozen_images_per_second": 156.0,
                               "pipeline_fed_fine_tune_images_per_second": 50.0,
                               "pipeline_over_model_frozen_ratio": 10.4, "pipeline_over_model_fine_tune_ratio": 36.8},
        "decode": decode, "photo_read": {"photos": 10, "jpeg_decode_ms_per_photo": 0.3, "crop_ms_per_person": 0.1},
        "tflite": tflite,
    }


def test_results_render_every_row_from_the_reports():
    text = readme_tables.render_results(peers_report(), bench_report())
    assert "| ours, int8 | crop from labels, model input | 0.500 | 0.500 | 0 / 1,000 | 2.50 MB | 2.0 | 1.0 |" in text
    assert "| ours, int8 | whole photo | 0.520 | 0.520 | 20 / 1,000 | 2.50 MB | 4.0 | 2.0 |" in text
    assert ("| MediaPipe Pose full | crop region from labels, native resolution | 0.450 | 0.800 | 300 / 1,000 | 9.40 MB"
            in text)
    prose = " ".join(text.split())  # paragraphs are wrapped at 100 characters
    assert "MediaPipe scores 3.0 points above our int8 model on the limbs, at 7.5x / 7.5x" in prose
    assert text.index("| ours, int8 | whole photo") < text.index("| ours, int8 | crop from labels")  # no labels first
    assert all(len(line) <= 100 for line in text.splitlines() if not line.startswith(("|", "<!--")))
    assert "| blur / analytic | 2.2x |" in text
    assert "| pipeline / model, fine-tuning | 36.8x |" in text
    assert "| int8 | 2.51 MB | 1.50 | 0.75 | 0.75 | 0.75 |" in text
    lines = text.splitlines()
    decoders = [line.split("`")[1] for line in lines if line.startswith("| `")]
    assert decoders == ["argmax", "quarter_offset", "dark", "centroid"]
    assert text == readme_tables.render_results(peers_report(), bench_report())  # deterministic
    changed = peers_report()
    changed["ours_int8_gtcrop"]["pck@0.2_limbs12"] = 0.7
    assert "| ours, int8 | crop from labels, model input | 0.700 |" in readme_tables.render_results(changed, bench_report())


def test_markers_are_replaced_and_the_rest_of_the_readme_kept():
    readme = "# T\n\nintro\n\n## Results\n<!-- results:begin -->\nold table\n<!-- results:end -->\n\n## Next\n"
    updated = readme_tables.replace_between_markers(readme, "NEW\n")
    assert updated == "# T\n\nintro\n\n## Results\n<!-- results:begin -->\nNEW\n<!-- results:end -->\n\n## Next\n"
    assert readme_tables.replace_between_markers(updated, "NEW") == updated  # idempotent
    for broken in ("no markers", "<!-- results:end -->\n<!-- results:begin -->",
                   "<!-- results:begin -->\n<!-- results:begin -->\n<!-- results:end -->",
                   "quoted in prose: `<!-- results:begin -->` ... `<!-- results:end -->`"):
        with pytest.raises(PoseError, match="README.md needs exactly one"):
            readme_tables.replace_between_markers(broken, "x")


def metrics_report():
    """The least reports/metrics.json the model blocks render from (one decoder measured)."""
    return {"lspet_persons": 1000, "lspet_pck@0.2_all": 0.6, "lspet_pck@0.2_limbs12": 0.55,
            "lspet-gtcrop_pck@0.2_all_float_argmax": 0.59, "decode_ms_one_image_argmax": 0.02}


def export_report():
    return {"keras_gtcrop_pck@0.2_all": 0.6, "keras_gtcrop_pck@0.2_limbs12": 0.55, "int8_pck@0.2_limbs12": 0.56,
            "int8_gtcrop_pck@0.2_limbs12": 0.57, "int8_size_bytes": 2_510_000,
            "int8_whole_photo_ms_1_thread": 3.5, "int8_latency_ms_1_thread": 1.5, "int8_latency_ms_2_threads": 1.0}


def write_pages(folder, readme_blocks=("headline",), doc_blocks=readme_tables.BLOCKS[1:]):
    """A README and one docs page holding the given blocks, each with hand-typed text; returns the README."""
    def page(title, names):
        return f"# {title}\n\n" + "".join(f"<!-- {name}:begin -->\nhand-typed\n<!-- {name}:end -->\n\n"
                                          for name in names) + "end\n"

    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "results.md").write_text(page("Results", doc_blocks))
    (folder / "README.md").write_text(page("T", readme_blocks))
    return folder / "README.md"


def test_results_table_script_updates_readme_and_docs_and_check_fails_when_stale(tmp_path, capsys):
    script = load_script("results_table")
    for name, report in (("peers", peers_report()), ("bench", bench_report()), ("metrics", metrics_report()),
                         ("export", export_report())):
        (tmp_path / f"{name}.json").write_text(json.dumps(report))
    readme = write_pages(tmp_path)
    page = tmp_path / "docs" / "results.md"
    reports = [argument for name in ("peers", "bench", "metrics", "export")
               for argument in (f"--{name}", str(tmp_path / f"{name}.json"))]
    files = ["--readme", str(readme), "--docs", str(tmp_path / "docs")] + reports
    assert script.main(files + ["--check"]) == 1
    assert "hand-typed" in readme.read_text() and "hand-typed" in page.read_text()  # --check writes nothing
    assert script.main(files) == 0
    for path in (readme, page):
        assert "hand-typed" not in path.read_text() and path.read_text().endswith("\n\nend\n")
    assert "| ours, int8 TFLite (the app's model) | 0.520 |" in readme.read_text()  # the headline, in the README
    assert "### Pipeline costs" in page.read_text() and "| `argmax` | 0.590 |" in page.read_text()
    assert script.main(files + ["--check"]) == 0
    assert script.main(["--readme", str(readme)] + reports + ["--check"]) == 0  # docs/ beside the README by default
    report = peers_report()
    report["mediapipe_full_photo"]["missed_persons"] = 41  # a new run of the benchmark
    (tmp_path / "peers.json").write_text(json.dumps(report))
    assert script.main(files + ["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a missing report is one sentence and exit code 1
        script.main(files[:4] + ["--peers", str(tmp_path / "missing.json")])
    assert "missing.json not found; run `make peers` first" in capsys.readouterr().err


@pytest.mark.parametrize("readme_blocks, doc_blocks, message", [
    (("headline",), readme_tables.BLOCKS[1:-1], "no file has the generated block `export`"),
    ((), readme_tables.BLOCKS[2:], "no file has the generated blocks `headline`, `results`"),
    (("headline", "export"), readme_tables.BLOCKS[1:], "`export` is in both .*README.md and .*results.md"),
    (readme_tables.BLOCKS + ("results-old",), (), "no block is called 'results-old'"),
])
def test_every_block_must_be_in_exactly_one_page(tmp_path, capsys, readme_blocks, doc_blocks, message):
    script = load_script("results_table")
    readme = write_pages(tmp_path, readme_blocks, doc_blocks)
    before = readme.read_text()
    with pytest.raises(SystemExit):
        script.main(["--readme", str(readme), "--check"])
    assert re.search(message, capsys.readouterr().err)
    assert readme.read_text() == before


def test_readme_tables_match_the_committed_reports():
    """The generated tables of README.md and docs/*.md must be what the committed reports give."""
    pages = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))
    where = readme_tables.locate_blocks({path: path.read_text() for path in pages})  # each block exactly once
    assert where["headline"] == REPO / "README.md"
    assert all(path != REPO / "README.md" for name, path in where.items() if name != "headline")  # details in docs/
    script = load_script("results_table")
    reports = REPO / "reports"
    assert script.main(["--readme", str(REPO / "README.md"), "--docs", str(REPO / "docs"),
                        "--peers", str(reports / "peers.json"), "--bench", str(reports / "bench.json"),
                        "--metrics", str(reports / "metrics.json"), "--export", str(reports / "export.json"),
                        "--check"]) == 0


def test_heatmap_targets_and_decoders_on_a_tiny_run():
    targets = benchmarking.heatmap_targets(size=16, sigma=1.5, count=20, train_samples=100, repeats=1)
    assert set(targets) == set(bench_report()["heatmap_targets"])
    assert targets["blur_ms_per_sample"] > 0 and targets["analytic_ms_per_sample"] > 0
    assert targets["stored_targets_train_split_mb"] == round(16 * 16 * NUM_JOINTS * 2 * 100 / 1e6, 1)
    heatmaps = np.random.default_rng(0).random((5, 8, 8, NUM_JOINTS)).astype(np.float32)
    decode = benchmarking.decode_times(heatmaps, count=5)
    assert set(decode) == set(bench_report()["decode"]) and decode["argmax_over_argmax_time_ratio"] == 1.0


def test_tflite_latencies_keys_and_ratios(tmp_path):
    import keras

    from pose.deploy import export
    from pose.params import params_from_dict

    inputs = keras.Input((32, 32, 3))
    model = keras.Model(inputs, keras.layers.Conv2D(NUM_JOINTS, 4, strides=4, activation="sigmoid")(inputs))
    blob = export.convert(model, "float32")
    meta = export.metadata(blob, "float32", params_from_dict({}), "model.keras")
    for variant in ("float32", "float16", "int8"):  # the same float model under each name: only the plumbing counts
        (tmp_path / f"{variant}.tflite").write_bytes(blob)
        (tmp_path / f"{variant}.json").write_text(json.dumps(meta))
    image = np.zeros((32, 32, 3), np.uint8)
    result = benchmarking.tflite_latencies(tmp_path, image, runs=3, warmup=1)
    assert set(result) == set(bench_report()["tflite"])
    assert result["float32_over_float32_time_ratio_2_threads"] == 1.0
    assert result["int8_over_float32_time_ratio_1_thread"] == pytest.approx(
        result["int8_latency_ms_1_thread"] / result["float32_latency_ms_1_thread"], abs=0.01)


def test_train_throughput_on_a_tiny_split():
    import keras

    # A two-layer stand-in for the U-Net (same "encoder" layer name, stride 4 output): the
    # measurement's plumbing is under test here, not MobileNetV2's tracing time.
    inputs = keras.Input((32, 32, 3))
    features = keras.Sequential([keras.layers.Conv2D(8, 3, strides=4, padding="same")], name="encoder")(inputs)
    model = keras.Model(inputs, keras.layers.Conv2D(NUM_JOINTS, 1, activation="sigmoid")(features))

    params, arrays = tiny_train_split(8)
    result = benchmarking.train_throughput(params, arrays, steps=1, pipeline_steps=2, model=model)
    result.update(benchmarking.throughput_ratios(result))
    assert set(result) == set(bench_report()["input_and_training"])
    assert all(result[key] > 0 for key in result if key.endswith("_per_second"))


def test_train_step_levers_time_the_top_half_variants_against_their_own_base():
    params, arrays = tiny_train_split(8)
    names = ("fine_tune_top_half", "top_half_stride_8")
    result = benchmarking.train_step_levers(params, arrays, {name: benchmarking.TRAIN_LEVERS[name] for name in names},
                                            steps=1)
    assert set(result) == {*names, "top_half_stride_8_over_top_half_ratio"}
    assert all(result[name] > 0 for name in names)
    assert result["top_half_stride_8_over_top_half_ratio"] == round(result["top_half_stride_8"]
                                                                     / result["fine_tune_top_half"], 2)


def test_bfloat16_lever_leaves_later_levers_in_float32():
    import keras

    params, arrays = tiny_train_split(8)
    names = ("top_half_bfloat16", "fine_tune_top_half")
    result = benchmarking.train_step_levers(params, arrays, {name: benchmarking.TRAIN_LEVERS[name] for name in names},
                                            steps=1)
    assert all(result[name] > 0 for name in names)
    assert keras.mixed_precision.global_policy().name == "float32"


def test_committed_bench_report_renders():
    path = REPO / "reports" / "bench.json"
    if not path.exists():
        pytest.skip("reports/bench.json not generated yet (make bench)")
    report = json.loads(path.read_text())
    assert set(report) == set(benchmarking.BENCH_SECTIONS)
    for section, keys in bench_report().items():
        if section != "meta":
            assert set(keys) <= set(report[section]), section
    assert "### Pipeline costs" in readme_tables.render_bench(report)


def test_the_benchmark_scripts_import_their_functions():
    for name in ("heatmap_targets", "train_throughput", "bench", "peers", "results_table"):
        assert callable(load_script(name).main)


def test_an_xla_lever_keras_would_run_without_xla_is_left_out(capsys, monkeypatch):
    import keras.src.trainers.trainer as keras_trainer

    # Keras' own verdict, as with op determinism on (what the train stage turns on).
    monkeypatch.setattr(keras_trainer, "model_supports_jit", lambda model: False)
    params, arrays = tiny_train_split(4)
    result = benchmarking.train_step_levers(params, arrays, {"xla": benchmarking.TRAIN_LEVERS["xla"]}, steps=1)
    assert result == {}
    assert "xla: not timed: Keras runs this model without XLA" in capsys.readouterr().out
