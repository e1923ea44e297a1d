"""Record shapes of e-commerce customers, orders and order products."""

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
    customers = dataset.tables["ecomCustomers"]
    customer_position = customers.pos_of(row.column("customer"))
    email = (
        contact_names(dataset.seed, customers.cols["contact"][customer_position])[2]
        if customer_position is not None
        else ""
    )
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
