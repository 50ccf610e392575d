"""Loads the shared patchbay server plugin (tests/sdk/support/patchbay_server.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))

pytest_plugins = ["patchbay_server"]
