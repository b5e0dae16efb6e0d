"""The machine's load: recorded before and after every run, a warning when it exceeds the cores."""

import os


def snapshot() -> dict:
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2), "cpus": os.cpu_count()}


def overloaded(figures: dict) -> bool:
    return figures["load_1m"] > (figures["cpus"] or 1)


def warn(figures: dict, when: str) -> None:
    if overloaded(figures):
        print(
            f"bench: WARNING load average {figures['load_1m']:.2f} {when} the run is above the "
            f"{figures['cpus']} cores: timings are not comparable with a quiet run (query counts and ratios are)",
            flush=True,
        )
