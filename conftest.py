"""Test-session settings for every test folder and the notebooks nbval runs: exports go to a scratch
folder, and the annotation cache starts empty in another (tests never read a developer's cache)."""

import os
import tempfile

os.environ.setdefault("KIT_REPORTS", tempfile.mkdtemp(prefix="kit-reports-"))
os.environ["KIT_CACHE"] = tempfile.mkdtemp(prefix="kit-cache-")
