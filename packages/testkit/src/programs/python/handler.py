"""
A small pricing service with real bugs, for the local console's demo traffic and for the
tests that check Issues end to end against genuine Python tracebacks. Each function is a
Lambda handler (`handler.price_quote`, ...). Do not "fix" the bugs: tests pin their lines.
"""
import logging

logger = logging.getLogger()

PRICES = {"sku-1": 1250, "sku-2": 899}
STOCK = {"sku-1": 3, "sku-2": 0}


class InventoryError(Exception):
    """Raised when an order asks for more than the warehouse holds."""


def lookup_price(sku):
    return PRICES[sku]


def price_quote(event, context):
    """Bug: unknown SKUs raise KeyError."""
    sku = event.get("sku", "sku-404")
    return {"sku": sku, "price": lookup_price(sku)}


def reserve(sku, qty):
    available = STOCK.get(sku, 0)
    if qty > available:
        raise InventoryError(f"only {available} left of {sku}, asked for {qty}")
    STOCK[sku] = available - qty
    return qty


def reserve_stock(event, context):
    """Bug: asking for more than the stock raises a custom exception."""
    return {"reserved": reserve(event.get("sku", "sku-1"), event.get("qty", 5))}


def audit(event, context):
    """Handled, but logged: logger.exception prints the traceback."""
    try:
        return {"total": sum(PRICES[s] for s in event.get("skus", ["sku-1", "sku-9"]))}
    except KeyError:
        logger.exception("audit failed for order %s", event.get("orderId", "o-1"))
        return {"total": None}


def health(event, context):
    print("health check ok")
    return {"ok": True}


# ---------------------------------------------------------------------------------------
# The demo account's Pricing function: ordinary logs around the handlers above. (New code
# goes below this line: the tests pin the lines above.)

logger.setLevel(logging.INFO)


def pricing(event, context):
    """Prices a quote; an unknown SKU fails in price_quote (KeyError)."""
    sku = event.get("sku", "sku-1")
    logger.info("pricing %s", sku)
    quote = price_quote({"sku": sku}, context)
    logger.info("priced %s at %s", sku, quote["price"])
    return quote
