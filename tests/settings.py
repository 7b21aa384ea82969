"""Settings for the test suite: the application's settings with debug asked for, as `make run`
asks for it. Debug off turns on the HTTPS-only settings (SSL redirect, secure cookies) that the
test client and the live server cannot follow; pytest-django still runs every test with
DEBUG = False. tests/web/test_security.py checks the deployment settings themselves."""

import os

os.environ.setdefault("PRONGSAI_DEBUG", "1")
# Tasks run at once, inside the test (the application queues them for a worker).
os.environ.setdefault("PRONGSAI_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from prongsai.web.settings import *  # noqa: F403
