from datetime import UTC, datetime

import pytest
import time_machine

# Monday 11 May 2026, 09:00 in Blagoveshchensk (Asia/Yakutsk, UTC+9): the cast host's
# Wednesday hours (10:00–12:00) fall two days later, so they can be booked.
NOW = datetime(2026, 5, 11, 0, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    """Freeze the clock at NOW (move it with `frozen.move_to(...)` or `frozen.shift(...)`)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
