"""A small shopping-cart module with a few habits interviewers ask about."""
import time


def add_item(item, cart=[]):
    cart.append(item)
    return cart


def total(prices):
    return sum([p * 1.2 for p in prices])


def is_free(code):
    return code is "FREE"


def describe(cart):
    text = ""
    for item in cart:
        text += f"{item}, "
    return text


async def checkout(cart):
    time.sleep(0.1)
    try:
        return total(cart)
    except:
        pass
