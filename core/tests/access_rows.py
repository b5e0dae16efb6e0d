from core.testing import ALL_LOGGED_IN, AccessRow

ROWS = [
    AccessRow("healthz", ok=ALL_LOGGED_IN | {"anonymous"}),
    AccessRow("ping", ok=ALL_LOGGED_IN | {"anonymous"}),
    AccessRow("login", ok=frozenset({"anonymous"}), denied=302),
    AccessRow("logout", ok=ALL_LOGGED_IN | {"anonymous"}, ok_status=302, method="post"),
    AccessRow("password_change", ok=ALL_LOGGED_IN),
    AccessRow("password_change_done", ok=ALL_LOGGED_IN),
    AccessRow("set_language", ok=ALL_LOGGED_IN | {"anonymous"}, ok_status=302, method="post"),
    # Django admin: federal administrators only; others are sent to its login page.
    AccessRow("admin:index", ok=frozenset({"admin"}), denied=302),
]
