"""Every setting the code reads is declared in config/settings.py, every variable in .env.example."""

import re
from pathlib import Path

from config import settings as declared

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "core", "branches", "councils", "receptions", "contests", "notifications", "config")
READ = re.compile(r"""\bsettings\.([A-Z][A-Z0-9_]*)\b|getattr\(settings,\s*["']([A-Z][A-Z0-9_]*)["']""")
ENV = re.compile(r"""\benv_(?:str|bool|int|list|url)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and "tests" not in path.parts:
                yield path


def test_every_setting_read_is_declared():
    undeclared = set()
    for path in _sources():
        for name in (a or b for a, b in READ.findall(path.read_text())):
            if not hasattr(declared, name):
                undeclared.add(f"{path.relative_to(ROOT)}: {name}")
    assert not undeclared, sorted(undeclared)


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    read = set(ENV.findall((ROOT / "config" / "settings.py").read_text()))
    assert read - listed == set()
