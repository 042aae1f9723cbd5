"""The quality benchmark: a thin script over newsclean.bench (same options).

    python benchmarks/quality.py            # print the tables
    python benchmarks/quality.py --write    # and record them in BENCHMARKS.md
"""

from newsclean.bench import main

if __name__ == "__main__":
    raise SystemExit(main())
