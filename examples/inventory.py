"""Inventory helpers written the way a junior might: each habit below is an interview topic."""
import functools
import pickle
from datetime import datetime


def record(event, log=[], when=datetime.now()):
    log.append((when, event))
    return log


def grid(rows, cols):
    return [[0] * cols] * rows


def is_empty(name):
    return name == None or name is ""


def describe(items):
    for i in range(len(items)):
        print(i, items[i])


def expensive_names(products):
    names = []
    for product in products:
        if product.price > 100:
            names.append(product.name.upper())
    return names


def timed(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


class Product:
    def __init__(self, name, price):
        self._name = name
        self.price = price

    def get_name(self):
        return self._name

    @functools.lru_cache(maxsize=None)
    def tax(self):
        return self.price * 0.2


def load(blob):
    if type(blob) == bytes:
        return pickle.loads(blob)
    return None
