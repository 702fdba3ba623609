"""Story grouping speed: import with grouping, full regroup, incremental import, peak memory.

The data is :mod:`benchmarks.synth`'s listing dumps (events written up one to five times,
Zipf-like people and places), or with ``--corpus random`` random words drawn from the seeds'
vocabulary (:func:`benchmarks.corpora.write_random_listing`). Each phase runs in its own
process, so the peak memory printed (``ru_maxrss``) is the peak of the process doing that
work. Every figure is printed twice: with the topics hooks (``TopicVerbs._derive_for_new``
and ``_start_deriving``, owned by the topics code) and with them replaced by no-ops, to show
grouping alone.

    .venv/bin/python benchmarks/grouping_speed.py                  # 100,000 + 1,000
    .venv/bin/python benchmarks/grouping_speed.py --articles 10000 --topics off
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _phase(args: argparse.Namespace) -> int:
    """Child process: one phase on one library; prints a JSON line of figures."""
    from reader.library import Library

    if not args.topics_hook:
        import reader.library.topics as topics

        topics.TopicVerbs._derive_for_new = lambda self, new_ids: None  # type: ignore[method-assign]
        topics.TopicVerbs._start_deriving = (  # type: ignore[method-assign]
            lambda self, new_ids, pool: None
        )
    wall, cpu = time.perf_counter(), time.process_time()
    with Library.open(Path(args.library)) as lib:
        if args.phase == "regroup":
            stories = lib.regroup()
            added = 0
        else:
            report = lib.import_paths([Path(args.file)])
            added = report.added
            stories = int(lib.db.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])
    # Big imports extract features in worker processes: count their CPU and memory too.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu + children.ru_utime + children.ru_stime,
        "added": added,
        "stories": stories,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": children.ru_maxrss / 1024,
    }
    print(json.dumps(figures))
    return 0


def _run(phase: str, library: Path, file: Path | None, topics_hook: bool) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--phase", phase, "--library", str(library)]
    if file is not None:
        cmd += ["--file", str(file)]
    if topics_hook:
        cmd.append("--topics-hook")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _line(label: str, r: dict[str, float], per_article: int = 0) -> str:
    rate = f", {per_article / r['wall']:,.0f} articles/s" if per_article else ""
    return (
        f"  {label:44} {r['wall']:7.1f} s wall {r['cpu']:7.1f} s CPU{rate},"
        f" peak {r['peak_mb']:.0f} MB (+ workers {r.get('worker_peak_mb', 0):.0f} MB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="library size")
    parser.add_argument("--new", type=int, default=1_000, help="articles imported afterwards")
    parser.add_argument("--topics", choices=("on", "off", "both"), default="both")
    parser.add_argument("--corpus", choices=("synthetic", "random"), default="synthetic",
                        help="synthetic news (seed-like) or random words from the seeds")
    parser.add_argument("--phase", choices=("import", "regroup"), help=argparse.SUPPRESS)
    parser.add_argument("--library", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--topics-hook", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return _phase(args)

    from benchmarks.corpora import write_random_listing
    from benchmarks.synth import write_listing

    if args.corpus == "random":
        write_listing = write_random_listing  # same signature, other words

    modes = {"on": [True], "off": [False], "both": [False, True]}[args.topics]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = write_listing(folder / "base.txt", args.articles, tag="SY", seed=7)
        extra = write_listing(folder / "extra.txt", args.new, tag="NW", seed=8)
        print(f"{args.corpus} listing dumps: {args.articles:,} + {args.new:,} articles")
        for hook in modes:
            print(f"topics hook {'ON' if hook else 'OFF (grouping alone)'}:")
            library = folder / f"lib-{int(hook)}.db"
            r = _run("import", library, base, hook)
            print(_line(f"import with grouping ({int(r['stories']):,} stories)", r,
                        int(r["added"])))
            r = _run("regroup", library, None, hook)
            print(_line(f"full regroup of {args.articles:,} ({int(r['stories']):,} stories)",
                        r))
            r = _run("import", library, extra, hook)
            print(_line(f"incremental import of {int(r['added']):,} into {args.articles:,}",
                        r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
