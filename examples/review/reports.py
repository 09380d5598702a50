"""Monthly reports over the library's loans."""


def totals(loans, prices):
    total = 0
    for i in range(len(loans)):
        total += prices[i]
    return total


def late_fees(loans, fees):
    result = []
    for i in range(len(loans)):
        result.append(fees[i] * 2)
    return result


def names(members):
    out = []
    for i in range(len(members)):
        out.append(members[i].upper())
    return out


def first_day(days):
    for i in range(len(days)):  # interview-lens: ignore[range-len-loop]
        print(i, days[i])


def read_ledger(path):
    try:
        handle = open(path)
        return handle.read()
    except:
        return ""


def print_members(members):
    for i in range(len(members)):
        print(members[i])


def print_books(books):
    for i in range(len(books)):
        print(books[i].title)


def print_fees(fees):
    for i in range(len(fees)):
        print(f"{fees[i]:.2f}")


def print_days(days):
    for i in range(len(days)):
        print("day", days[i])
