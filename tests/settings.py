"""Settings for the test suite: the application's settings with debug asked for, as `make run`
asks for it. Debug off turns on the HTTPS-only settings (SSL redirect, secure cookies) that the
test client and the live server cannot follow; pytest-django still runs every test with
DEBUG = False. tests/web/test_security.py checks the deployment settings themselves."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("PRONGSAI_DEBUG", "1")
# Tasks run at once, inside the test (the application queues them for a worker).
os.environ.setdefault("PRONGSAI_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from prongsai.web.settings import *  # noqa: F403

# Files the tasks store (the public documents built on approval) go to a folder of the run's own,
# never to the development server's var/media; a test that stores files may still use its own.
if "PRONGSAI_MEDIA_ROOT" not in os.environ:
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="prongsai-test-media-"))
    atexit.register(shutil.rmtree, MEDIA_ROOT, True)
