"""Create (or reuse) the benchmark database of N employees: .venv/bin/python bench/seed.py --employees 100000"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ensure_database, load  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--reseed", action="store_true", help="drop and seed again even if it exists")
    args = parser.parse_args()
    seconds = ensure_database(args.employees, reseed=args.reseed)
    if seconds is None:
        print(f"sikap_bench_{args.employees} reused (load {load()})")
    else:
        print(f"sikap_bench_{args.employees} seeded in {seconds:.1f} s, migrate included (load {load()})")
