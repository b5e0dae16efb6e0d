"""The benchmark suite: `make bench` (see bench/__main__.py)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
