"""Timing helpers and the result row every scenario produces."""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    what: str
    runs: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    total_ms: float | None = None  # batch jobs: one run, its wall time
    queries: int | None = None
    floor: str = ""
    floor_ms: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None  # None: measured, not judged (quick mode or no target)
    notes: str = ""
    load: float | None = None  # the 1-minute load average when its scenario started

    def as_dict(self) -> dict:
        return {key: (round(value, 2) if isinstance(value, float) else value) for key, value in asdict(self).items()}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timings(call: Callable, *, runs: int, warmup: int = 3) -> list[float]:
    """Milliseconds of each of `runs` calls, after `warmup` unmeasured ones."""
    for _ in range(warmup):
        call()
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        values.append((time.perf_counter() - started) * 1000)
    return values


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 0.95)


def count_queries(call: Callable) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)
