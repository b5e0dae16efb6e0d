"""Print the results as a table and write bench/results.json."""

import json
import platform
from datetime import UTC, datetime

from bench import ROOT


def _cell(value, digits=1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def write(results, *, quick: bool, seconds: float) -> None:
    columns = ["scenario", "runs", "p50 ms", "p95 ms", "total ms", "queries", "floor ms", "ratio", "target", "met"]
    rows = []
    for r in results:
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        rows.append(
            [r.name, _cell(r.runs), _cell(r.p50_ms), _cell(r.p95_ms), _cell(r.total_ms, 0), _cell(r.queries),
             _cell(r.floor_ms), _cell(r.ratio, 2), r.target, met]
        )  # fmt: skip
    widths = [max(len(str(row[i])) for row in [columns, *rows]) for i in range(len(columns))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(line.format(*columns))
    print(line.format(*["-" * w for w in widths]))
    for row in rows:
        print(line.format(*row))
    print()
    for r in results:
        if r.notes or r.floor:
            print(
                f"  {r.name}: {r.what}"
                + (f"; floor: {r.floor}" if r.floor else "")
                + (f"; {r.notes}" if r.notes else "")
            )
    judged = [r for r in results if r.met is not None]
    payload = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if quick else "national",
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "seconds": round(seconds),
        "results": [r.as_dict() for r in results],
    }
    (ROOT / "bench" / ("results-quick.json" if quick else "results.json")).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    )
    print()
    if quick:
        print(f"bench: quick run of {len(results)} scenarios in {seconds:.0f} s (timings not judged)")
    else:
        print(f"bench: {sum(1 for r in judged if r.met)} of {len(judged)} targets met")
