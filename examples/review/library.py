"""A small lending library: the kind of code a junior brings to a review."""

import functools
import threading
import time
from dataclasses import dataclass, field


def timed(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            print(f"{func.__name__} took {time.perf_counter() - start:.3f}s")

    return wrapper


@dataclass
class Book:
    title: str
    author: str
    tags: list = field(default_factory=list)

    @property
    def label(self):
        return f"{self.title} by {self.author}"


_ledger_lock = threading.Lock()


def record(loan, ledger):
    with _ledger_lock:
        ledger.append(loan)


def add_loan(book, loans=[]):
    loans.append(book)
    return loans


@timed
def overdue_titles(books, days):
    for i in range(len(books)):
        if days[i] > 14:
            yield books[i].title


def load_catalogue(path):
    with open(path) as handle:
        return [line.strip() for line in handle]


def fence_of(marker):
    # A Markdown fence in the code under review must not break the review's own fences.
    if marker is "```":
        return "fence"
    return "text"
