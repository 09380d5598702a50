"""An async service with blocking calls and a few other habits interviewers probe."""
import subprocess
import time

import requests


async def fetch_status(url):
    time.sleep(0.5)
    response = requests.get(url, timeout=5)
    return response.status_code


async def save_report(path, text):
    handle = open(path, "w")
    handle.write(text)
    handle.close()


async def git_revision():
    return subprocess.check_output(["git", "rev-parse", "HEAD"])


def callbacks():
    handlers = []
    for level in ("debug", "info", "error"):
        handlers.append(lambda message: print(level, message))
    return handlers


def walk(tree):
    for node in tree:
        yield node


def safe_div(a, b):
    try:
        return a / b
    except Exception:
        pass
