"""Record shapes of e-commerce customers, orders, order products and order activities."""

from __future__ import annotations

from typing import Any

from ..dates import iso
from .common import Row, contact_names, product_price, sid, some_words


def ecom_customer(row: Row) -> dict[str, Any]:
    rng = row.rng
    orders = rng.below(6)
    revenue = orders * (500 + rng.below(20000))
    _, _, email = contact_names(row.dataset.seed, row.column("contact"))
    return {
        "connectionid": str(row.column("connection")),
        "externalid": rng.digits(6),
        "email": email,
        "totalRevenue": str(revenue),
        "totalOrders": str(orders),
        "totalProducts": str(orders * (1 + rng.below(3))),
        "avgRevenuePerOrder": str(revenue // orders if orders else 0),
        "avgProductCategory": rng.choice(("Electronics", "Bücher", "Épicerie", "")),
        "tstamp": iso(row.updated),
        "links": row.links("connection", "orders"),
        "id": sid(row.id),
        "connection": row.ref("connection"),
    }


def _customer_email(row: Row) -> str:
    """The email of the row's e-commerce customer: the email of the contact the customer is."""
    customers = row.dataset.tables["ecomCustomers"]
    position = customers.pos_of(row.column("customer"))
    return "" if position is None else contact_names(row.dataset.seed, customers.cols["contact"][position])[2]


def ecom_order(row: Row) -> dict[str, Any]:
    rng = row.rng
    dataset = row.dataset
    products_t = dataset.tables["ecomOrderProducts"]
    product_pos = products_t.group_index("orderid").get(row.id, [])
    subtotal = 0
    for position in product_pos:
        price, quantity = product_price(dataset, position)
        subtotal += price * quantity
    shipping, tax = 100 * rng.below(10), subtotal // 10
    discount = 0 if rng.chance(0.7) else subtotal // 20
    email = _customer_email(row)
    external = row.created - rng.below(3600)
    return {
        "externalid": rng.digits(10),
        "source": "1",
        "email": email,
        "currency": "USD",
        "connectionid": str(row.column("connection")),
        "customerid": str(row.column("customer")),
        "orderUrl": f"https://store.example.com/orders/{row.id}",
        "shippingMethod": rng.choice(("UPS Ground", "DHL Express", "La Poste Colissimo")),
        "totalPrice": subtotal + shipping + tax - discount,
        "shippingAmount": shipping,
        "taxAmount": tax,
        "discountAmount": discount,
        "externalCreatedDate": iso(external),
        "totalProducts": len(product_pos),
        "createdDate": iso(row.created),
        "updatedDate": iso(row.updated),
        "state": rng.choice((1, 1, 1, 0, 2, 3, 4)),
        "connection": row.ref("connection"),
        "orderProducts": [str(products_t.ids[position]) for position in product_pos],
        "customer": row.ref("customer"),
        "orderDate": iso(external),
        "tstamp": iso(row.updated),
        "links": row.links("connection", "customer", "orderProducts", "orderDiscounts", "orderActivities"),
        "id": sid(row.id),
    }


def ecom_order_product(row: Row) -> dict[str, Any]:
    rng = row.rng
    price, quantity = product_price(row.dataset, row.pos)
    name = rng.choice(("Skateboard", "Kaffeemühle", "Théière en fonte", "抹茶セット", "Yoga mat 🧘"))
    return {
        "orderid": row.ref("orderid"),
        "connectionid": "1",
        "externalid": rng.digits(10),
        "sku": f"SKU-{rng.digits(5)}",
        "name": name,
        "description": f"{name} – {some_words(rng, 4)}",
        "price": str(price),
        "quantity": str(quantity),
        "category": rng.choice(("sports", "kitchen", "home", "")),
        "imageUrl": f"https://store.example.com/images/{row.id}.jpg",
        "productUrl": f"https://store.example.com/products/{row.id}",
        "createdDate": iso(row.created),
        "updatedDate": iso(row.updated),
        "tstamp": iso(row.updated),
        "links": row.links("ecomOrder"),
        "id": sid(row.id),
        "ecomOrder": row.ref("orderid"),
    }


def ecom_order_activity(row: Row) -> dict[str, Any]:
    """A state change of an order, with the order's fields as they were then. The collection is not
    in the API reference; the field names follow ecomOrders, and Stitch's extractor reads it."""
    rng = row.rng
    subtotal = 500 + rng.below(20000)
    shipping, tax = 100 * rng.below(10), subtotal // 10
    discount = 0 if rng.chance(0.7) else subtotal // 20
    state = rng.choice((0, 1, 2, 3))
    order = row.ref("orderid")
    return {
        "orderid": order,
        "connectionid": str(row.column("connection")),
        "customerid": str(row.column("customer")),
        "externalid": rng.digits(10),
        "externalcheckoutid": rng.digits(8) if state in (2, 3) else None,
        "source": "1",
        "orderNumber": f"#{1000 + row.column('orderid')}",
        "email": _customer_email(row),
        "totalPrice": subtotal + shipping + tax - discount,
        "discountAmount": discount,
        "shippingAmount": shipping,
        "taxAmount": tax,
        "totalProducts": 1 + rng.below(3),
        "currency": "USD",
        "shippingMethod": rng.choice(("UPS Ground", "DHL Express", "La Poste Colissimo")),
        "storeName": "Example Store",
        "logoUrl": "https://store.example.com/logo.png",
        "orderUrl": f"https://store.example.com/orders/{order}",
        "state": state,
        "externalCreatedDate": iso(row.created),
        "externalUpdatedDate": iso(row.updated),
        "abandonedDate": iso(row.created) if state == 2 else None,
        "createdDate": iso(row.created),
        "updatedDate": iso(row.updated),
        "links": row.links("connection", "order"),
        "id": sid(row.id),
        "connection": row.ref("connection"),
        "order": order,
    }
