"""README "Results" section, generated from reports/peers.json and reports/bench.json.

Renders the tables (pose/benchmarking.py: render_results) and writes them between the
`<!-- results:begin -->` and `<!-- results:end -->` lines of the README. With --check it
writes nothing and exits 1 when the README's text differs from what the reports give.

    stages/python benchmarks/results_table.py [--readme README.md] [--check] [--print]
"""

import argparse
import json
import sys
from pathlib import Path

from pose.benchmarking import render_results, replace_between_markers
from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import write_text


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
    parser.add_argument("--peers", default="reports/peers.json")
    parser.add_argument("--bench", default="reports/bench.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is out of date; write nothing")
    parser.add_argument("--print", action="store_true", help="print the generated markdown")
    args = parser.parse_args(argv)

    generated = render_results(load_report(args.peers, "make peers"), load_report(args.bench, "make bench"))
    if args.print:
        print(generated)
    readme = Path(args.readme)
    if not readme.exists():
        raise PoseError(f"{readme} not found; pass --readme the README to update.")
    text = readme.read_text()
    updated = replace_between_markers(text, generated, str(readme))
    if args.check:
        if updated != text:
            print(f"{readme} is out of date with {args.peers} / {args.bench}; run "
                  f"`stages/python benchmarks/results_table.py --readme {readme}`.", file=sys.stderr)
            return 1
        print(f"{readme} matches {args.peers} and {args.bench}")
        return 0
    if updated != text:
        write_text(readme, updated)
        print(f"updated the results in {readme}")
    else:
        print(f"{readme} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
