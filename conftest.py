"""Test-session settings for every test folder and the notebooks nbval runs: exports go to a scratch folder."""

import os
import tempfile

os.environ.setdefault("KIT_REPORTS", tempfile.mkdtemp(prefix="kit-reports-"))
