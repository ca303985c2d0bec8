"""What the console's browser tests need on the machine: Debian's Chromium and its driver, and axe-core.

`missing_browser()` says what is missing (or None); `axe_core_script()` finds the pinned axe-core, installing it
on first use when the console's own node_modules does not hold it. Used by tests/e2e/console_browser.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from devstack.stack import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")  # Debian's `chromium` package
CHROMEDRIVER = Path("/usr/bin/chromedriver")  # Debian's `chromium-driver` package, of the same version
AXE_CORE_VERSION = "4.14.1"
# The console lists axe-core among its dev dependencies (console/package.json); until its node_modules is there
# (`python -m console.build` installs it), the pinned version is installed here, outside git's view.
CONSOLE_AXE = REPO_ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js"
OWN_AXE_PREFIX = REPO_ROOT / ".flywheel" / "axe-core"
NPM_INSTALL = ("npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error")


def in_ci() -> bool:
    """Under CI a missing browser fails the run instead of skipping the console's tests."""
    return os.environ.get("CI", "").lower() == "true"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium, its driver and npm (for axe-core) are all there."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        return f"{' and '.join(missing)} missing: install Debian's chromium and chromium-driver packages"
    if not CONSOLE_AXE.is_file() and not _own_axe().is_file() and shutil.which("npm") is None:
        return "npm not found: needed once to install axe-core (Node.js >= 20 with npm)"
    return None


def _own_axe() -> Path:
    return OWN_AXE_PREFIX / AXE_CORE_VERSION / "node_modules" / "axe-core" / "axe.min.js"


def axe_core_script() -> Path:
    """The axe.min.js run in the page: the console's own copy when installed, else ours (installed on first use)."""
    if CONSOLE_AXE.is_file():
        return CONSOLE_AXE
    own = _own_axe()
    if not own.is_file():
        prefix = own.parents[2]
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [*NPM_INSTALL, "--prefix", str(prefix), f"axe-core@{AXE_CORE_VERSION}"],
            check=True,
            timeout=300,
        )
    return own
