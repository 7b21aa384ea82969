"""Prongsai: the workbench for a Thai public agency's yearly ITA cycle."""

import os

__version__ = "0.1.0"

# Prongsai uses no pydantic plugins: without this, pydantic looks for them in every installed
# package's metadata when it builds the first model, a noticeable part of a CLI command's start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
