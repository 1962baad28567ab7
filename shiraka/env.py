"""Typed readers for settings that come from the environment."""

import os


def env(name, default=""):
    """A string from NAME, or from the file named by NAME_FILE (container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    return os.environ.get(name, default)


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envlist(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]
