"""Record builders, one module per area of the API; collection_specs.py registers them."""
