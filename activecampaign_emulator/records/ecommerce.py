"""Record shapes of e-commerce customers, orders and order products."""

from __future__ import annotations

from typing import Any

from ..dates import iso
from .common import Row, contact_names, product_price, sid, some_words


def ecom_customer(r: Row) -> dict[str, Any]:
    rng = r.rng
    orders = rng.below(6)
    revenue = orders * (500 + rng.below(20000))
    _, _, email = contact_names(r.ds.seed, r.col("contact"))
    return {
        "connectionid": str(r.col("connection")),
        "externalid": rng.digits(6),
        "email": email,
        "totalRevenue": str(revenue),
        "totalOrders": str(orders),
        "totalProducts": str(orders * (1 + rng.below(3))),
        "avgRevenuePerOrder": str(revenue // orders if orders else 0),
        "avgProductCategory": rng.choice(("Electronics", "Bücher", "Épicerie", "")),
        "tstamp": iso(r.updated),
        "links": r.links("connection", "orders"),
        "id": sid(r.id),
        "connection": r.ref("connection"),
    }


def ecom_order(r: Row) -> dict[str, Any]:
    rng = r.rng
    ds = r.ds
    products_t = ds.tables["ecomOrderProducts"]
    product_pos = products_t.group_index("orderid").get(r.id, [])
    subtotal = 0
    for p in product_pos:
        price, qty = product_price(ds, p)
        subtotal += price * qty
    shipping, tax = 100 * rng.below(10), subtotal // 10
    discount = 0 if rng.chance(0.7) else subtotal // 20
    customers = ds.tables["ecomCustomers"]
    cpos = customers.pos_of(r.col("customer"))
    email = contact_names(ds.seed, customers.cols["contact"][cpos])[2] if cpos is not None else ""
    external = r.created - rng.below(3600)
    return {
        "externalid": rng.digits(10),
        "source": "1",
        "email": email,
        "currency": "USD",
        "connectionid": str(r.col("connection")),
        "customerid": str(r.col("customer")),
        "orderUrl": f"https://store.example.com/orders/{r.id}",
        "shippingMethod": rng.choice(("UPS Ground", "DHL Express", "La Poste Colissimo")),
        "totalPrice": subtotal + shipping + tax - discount,
        "shippingAmount": shipping,
        "taxAmount": tax,
        "discountAmount": discount,
        "externalCreatedDate": iso(external),
        "totalProducts": len(product_pos),
        "createdDate": iso(r.created),
        "updatedDate": iso(r.updated),
        "state": rng.choice((1, 1, 1, 0, 2, 3, 4)),
        "connection": r.ref("connection"),
        "orderProducts": [str(products_t.ids[p]) for p in product_pos],
        "customer": r.ref("customer"),
        "orderDate": iso(external),
        "tstamp": iso(r.updated),
        "links": r.links("connection", "customer", "orderProducts", "orderDiscounts", "orderActivities"),
        "id": sid(r.id),
    }


def ecom_order_product(r: Row) -> dict[str, Any]:
    rng = r.rng
    price, qty = product_price(r.ds, r.pos)
    name = rng.choice(("Skateboard", "Kaffeemühle", "Théière en fonte", "抹茶セット", "Yoga mat 🧘"))
    return {
        "orderid": r.ref("orderid"),
        "connectionid": "1",
        "externalid": rng.digits(10),
        "sku": f"SKU-{rng.digits(5)}",
        "name": name,
        "description": f"{name} – {some_words(rng, 4)}",
        "price": str(price),
        "quantity": str(qty),
        "category": rng.choice(("sports", "kitchen", "home", "")),
        "imageUrl": f"https://store.example.com/images/{r.id}.jpg",
        "productUrl": f"https://store.example.com/products/{r.id}",
        "createdDate": iso(r.created),
        "updatedDate": iso(r.updated),
        "tstamp": iso(r.updated),
        "links": r.links("ecomOrder"),
        "id": sid(r.id),
        "ecomOrder": r.ref("orderid"),
    }
