"""`python -m bench` runs every benchmark; `python -m bench classifier entities` runs those.

Numbers after a name are its sizes: `python -m bench search_opensearch 100000` calls
`run(sizes=(100000,))` (for the benchmarks whose run() takes sizes).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))


def parse(argv: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """Benchmark names, each with the sizes that follow it."""
    runs: list[tuple[str, tuple[int, ...]]] = []
    for arg in argv:
        if arg.isdigit() and runs:
            runs[-1] = (runs[-1][0], (*runs[-1][1], int(arg)))
        else:
            runs.append((arg, ()))
    return runs


def main(argv: list[str]) -> int:
    runs = parse(argv) or [(name, ()) for name in available()]
    unknown = [n for n, _ in runs if n not in available()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    for name, sizes in runs:
        print(f"== bench {name} ==", flush=True)
        module = importlib.import_module(f"bench.{name}")
        module.run(sizes=sizes) if sizes else module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
