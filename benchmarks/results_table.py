"""Tables of figures generated from the committed reports (pose/reports/readme_tables.py): the
README's headline, the comparison with MediaPipe and the pipeline costs (reports/peers.json,
reports/bench.json), and the model's scores, decoders, test sets and TFLite variants
(reports/metrics.json, reports/export.json).

Rewrites every block between its `<!-- NAME:begin -->` and `<!-- NAME:end -->` lines in the
README and in every docs/*.md page. Each block must appear exactly once across those files; a
missing, repeated or unknown block is an error naming it. With --check it writes nothing and
exits 1 when any block differs from what the reports give.

    stages/python benchmarks/results_table.py [--readme README.md] [--docs docs] [--check] [--print]
"""

import argparse
import json
import sys
from pathlib import Path

from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import write_text
from pose.reports.readme_tables import BLOCKS, locate_blocks, render_blocks, update_texts

REPORTS = {  # block inputs: argument name -> (default path, the command that writes it)
    "peers": ("reports/peers.json", "make peers"),
    "bench": ("reports/bench.json", "make bench"),
    "metrics": ("reports/metrics.json", "dvc repro evaluate"),
    "export": ("reports/export.json", "dvc repro quantize"),
}
NEEDS = {"headline": ("metrics", "export", "peers"), "results": ("peers", "bench"), "scores": ("metrics",),
         "decoders": ("metrics",), "test-sets": ("metrics",), "export": ("export",)}
assert set(NEEDS) == set(BLOCKS)


def load_report(path, command):
    path = Path(path)
    if not path.exists():
        raise PoseError(f"{path} not found; run `{command}` first.")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise PoseError(f"{path} is not valid JSON ({error}); re-run `{command}`.") from None


def pages(readme, docs):
    """The files that hold generated blocks: the README, then every docs/*.md in name order."""
    if not readme.exists():
        raise PoseError(f"{readme} not found; pass --readme the README to update.")
    if not docs.is_dir():
        raise PoseError(f"{docs} is not a folder; pass --docs the folder of the docs/*.md pages.")
    return [readme] + sorted(docs.glob("*.md"))


@user_errors_exit
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readme", default="README.md", help="the front page (default: README.md)")
    parser.add_argument("--docs", default=None,
                        help="folder whose *.md pages also hold blocks (default: docs/ beside the README)")
    for name, (default, _) in REPORTS.items():
        parser.add_argument(f"--{name}", default=default)
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is out of date; write nothing")
    parser.add_argument("--print", action="store_true", help="print the generated markdown")
    args = parser.parse_args(argv)

    readme = Path(args.readme)
    docs = Path(args.docs) if args.docs is not None else readme.parent / "docs"
    texts = {path: path.read_text() for path in pages(readme, docs)}
    where = locate_blocks(texts)
    needed = sorted({report for name in where for report in NEEDS[name]})
    reports = {report: load_report(getattr(args, report), REPORTS[report][1]) for report in needed}
    blocks = render_blocks(**reports)
    updated = update_texts(texts, blocks)
    if args.print:
        print("\n\n".join(blocks[name] for name in BLOCKS))
    sources = " / ".join(getattr(args, report) for report in needed)
    stale = [path for path in texts if updated[path] != texts[path]]
    if args.check:
        if stale:
            print(f"{', '.join(map(str, stale))} out of date with {sources}; run "
                  f"`stages/python benchmarks/results_table.py --readme {readme} --docs {docs}` (make results).",
                  file=sys.stderr)
            return 1
        print(f"{readme} and {docs}/*.md match {sources}")
        return 0
    for path in stale:
        write_text(path, updated[path])
        print(f"updated {', '.join(name for name in BLOCKS if where[name] == path)} in {path}")
    if not stale:
        print(f"{readme} and {docs}/*.md already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
