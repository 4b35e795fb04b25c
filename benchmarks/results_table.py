"""README tables generated from the committed reports (pose/readme_tables.py): the Results
section (reports/peers.json, reports/bench.json) and the model's scores, decoders, test sets and
TFLite variants (reports/metrics.json, reports/export.json).

Rewrites every block the README has between its `<!-- NAME:begin -->` and `<!-- NAME:end -->`
lines. With --check it writes nothing and exits 1 when any block differs from what the reports
give.

    stages/python benchmarks/results_table.py [--readme README.md] [--check] [--print]
"""

import argparse
import json
import sys
from pathlib import Path

from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import write_text
from pose.readme_tables import blocks_in, render_blocks, replace_between_markers

REPORTS = {  # block inputs: argument name -> (default path, the command that writes it)
    "peers": ("reports/peers.json", "make peers"),
    "bench": ("reports/bench.json", "make bench"),
    "metrics": ("reports/metrics.json", "dvc repro evaluate"),
    "export": ("reports/export.json", "dvc repro quantize"),
}
NEEDS = {"results": ("peers", "bench"), "scores": ("metrics",), "decoders": ("metrics",),
         "test-sets": ("metrics",), "export": ("export",)}


def load_report(path, command):
    path = Path(path)
    if not path.exists():
        raise PoseError(f"{path} not found; run `{command}` first.")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise PoseError(f"{path} is not valid JSON ({error}); re-run `{command}`.") from None


@user_errors_exit
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readme", default="README.md")
    for name, (default, _) in REPORTS.items():
        parser.add_argument(f"--{name}", default=default)
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is out of date; write nothing")
    parser.add_argument("--print", action="store_true", help="print the generated markdown")
    args = parser.parse_args(argv)

    readme = Path(args.readme)
    if not readme.exists():
        raise PoseError(f"{readme} not found; pass --readme the README to update.")
    text = readme.read_text()
    names = blocks_in(text)
    if not names:
        raise PoseError(f"{readme} has no generated block (a `<!-- results:begin -->` line and its end); add one.")
    needed = sorted({report for name in names for report in NEEDS[name]})
    reports = {report: load_report(getattr(args, report), REPORTS[report][1]) for report in needed}
    blocks = render_blocks(**reports)
    updated = text
    for name in names:
        updated = replace_between_markers(updated, blocks[name], str(readme), name)
    if args.print:
        print("\n\n".join(blocks[name] for name in names))
    sources = " / ".join(getattr(args, report) for report in needed)
    if args.check:
        if updated != text:
            print(f"{readme} is out of date with {sources}; run "
                  f"`stages/python benchmarks/results_table.py --readme {readme}` (make results).", file=sys.stderr)
            return 1
        print(f"{readme} matches {sources}")
        return 0
    if updated != text:
        write_text(readme, updated)
        print(f"updated {', '.join(names)} in {readme}")
    else:
        print(f"{readme} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
