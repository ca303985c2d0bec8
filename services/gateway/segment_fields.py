"""The Segment mapping's field rules (services/gateway/segment.py uses them): the error naming a message's bad field,
objects within a message, money, and the ecommerce spec v2's orders and refunds."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

_MONEY_PLACES = Decimal("0.000001")  # the contract's money keeps 6 decimals


class MessageError(ValueError):
    """A message Flywheel cannot take: `field` names where (within the message), `message` says why."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def object_at(holder: dict[str, Any], key: str, where: str | None = None) -> dict[str, Any]:
    value = holder.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MessageError(where or key, "must be an object")
    return value


def purchase_data(properties: dict[str, Any]) -> dict[str, Any]:
    """`Order Completed` as a purchase's data (but the customer and UTM)."""
    items = _line_items(properties)
    amount = _first_money(properties, ("total", "revenue"))
    if amount is None and items:
        amount = sum((item["unit_price"] * item["quantity"] for item in items), Decimal(0))
    if amount is None:
        raise MessageError("properties.total", "Order Completed needs `total` (or `revenue`, or priced `products`)")
    data: dict[str, Any] = {"order_id": _order_id(properties), "amount": str(amount), "items": _items_json(items)}
    currency = properties.get("currency")
    if currency is not None:
        data["currency"] = currency.upper() if isinstance(currency, str) else currency
    if properties.get("coupon") is not None:
        data["coupon"] = properties["coupon"]
    return data


def refund_data(properties: dict[str, Any]) -> dict[str, Any]:
    """`Order Refunded` as a refund's data (but the customer)."""
    amount = _first_money(properties, ("total", "revenue"))
    if amount is None:
        items = _line_items(properties)
        amount = sum((item["unit_price"] * item["quantity"] for item in items), Decimal(0)) if items else None
    if amount is None or amount <= 0:
        raise MessageError(
            "properties.total",
            "Order Refunded needs the amount refunded, above 0: `total` (or `revenue`, or priced `products`)",
        )
    data: dict[str, Any] = {"order_id": _order_id(properties), "amount": str(amount)}
    if isinstance(properties.get("reason"), str):
        data["reason"] = properties["reason"]
    return data


def _order_id(properties: dict[str, Any]) -> str:
    order_id = properties.get("order_id")
    if isinstance(order_id, int) and not isinstance(order_id, bool):
        return str(order_id)
    if not isinstance(order_id, str) or not order_id.strip():
        raise MessageError("properties.order_id", "an order needs its `order_id`")
    return order_id


def _line_items(properties: dict[str, Any]) -> list[dict[str, Any]]:
    products = properties.get("products")
    if products is None:
        return []
    if not isinstance(products, list):
        raise MessageError("properties.products", "must be an array of products")
    items = []
    for position, product in enumerate(products):
        where = f"properties.products.{position}"
        if not isinstance(product, dict):
            raise MessageError(where, "a product must be an object")
        sku = product.get("sku", product.get("product_id"))
        if isinstance(sku, int) and not isinstance(sku, bool):
            sku = str(sku)
        if not isinstance(sku, str) or not sku.strip():
            raise MessageError(f"{where}.sku", "a product needs `sku` or `product_id`")
        price = _money(product.get("price"), f"{where}.price")
        if price is None:
            raise MessageError(f"{where}.price", "a product needs its `price`")
        quantity = product.get("quantity", 1)
        if isinstance(quantity, float) and quantity.is_integer():
            quantity = int(quantity)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise MessageError(f"{where}.quantity", "must be a whole number of at least 1")
        item: dict[str, Any] = {"sku": sku, "quantity": quantity, "unit_price": price}
        if isinstance(product.get("category"), str):
            item["category"] = product["category"]
        items.append(item)
    return items


def _items_json(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "unit_price": str(item["unit_price"])} for item in items]


def _first_money(properties: dict[str, Any], names: tuple[str, ...]) -> Decimal | None:
    for name in names:
        amount = _money(properties.get(name), f"properties.{name}")
        if amount is not None:
            return amount
    return None


def _money(value: object, where: str) -> Decimal | None:
    """A JSON number or decimal string as money; a float keeps 6 decimals (more is its binary noise)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MessageError(where, "must be a number or a decimal string")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise MessageError(where, "must be a number or a decimal string") from None
    if not amount.is_finite() or amount < 0:
        raise MessageError(where, "must be a finite number, not negative")
    if isinstance(value, float):
        amount = amount.quantize(_MONEY_PLACES, rounding=ROUND_HALF_EVEN).normalize()
    return amount
