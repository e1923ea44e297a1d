"""E-commerce customers (each one a contact of a connected store), their orders and order products."""

from __future__ import annotations

from .context import IdSequence, SeedContext, pick


def seed_ecommerce(context: SeedContext) -> None:
    rng = context.rng("ecom")
    connection_ids = context.ids("connections")
    contact_ids = context.ids("contacts")
    customers, orders, products = (
        context.tables[name] for name in ("ecomCustomers", "ecomOrders", "ecomOrderProducts")
    )
    customer_ids, order_ids, product_ids = context.id_sequences(rng, 3)
    customer_count = max(2, context.contacts // 10)
    for _, created in context.spread(rng, customer_count):
        customers.append(
            customer_ids.next(),
            created,
            context.later(rng, created),
            contact=pick(rng, contact_ids),
            connection=pick(rng, connection_ids),
        )
    for _, created in context.spread(rng, max(2, context.contacts // 5)):
        customer_position = int(rng.random() * customer_count)
        order = order_ids.next()
        updated = context.later(rng, created)
        customer = customers.ids[customer_position]
        connection = customers.cols["connection"][customer_position]
        orders.append(order, created, updated, customer=customer, connection=connection)
        for _ in range(1 + int(rng.random() * 3)):
            products.append(product_ids.next(), created, updated, orderid=order)


def seed_order_activities(context: SeedContext) -> None:
    """One order in two logs an activity (its state changing) within a week of its creation."""
    rng = context.rng("ecomOrderActivities")
    activities, orders = context.tables["ecomOrderActivities"], context.tables["ecomOrders"]
    activity_ids = IdSequence(rng)
    for position, order in enumerate(orders.ids):
        if rng.random() < 0.5 or position < 2:
            moment = context.near(rng, orders.created[position], 7)
            activities.append(
                activity_ids.next(),
                moment,
                context.later(rng, moment),
                orderid=order,
                connection=orders.cols["connection"][position],
                customer=orders.cols["customer"][position],
            )
