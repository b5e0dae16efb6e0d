from core.testing import ALL_LOGGED_IN, AccessRow

ROWS = [
    AccessRow("desk:home", ok=ALL_LOGGED_IN),
]
