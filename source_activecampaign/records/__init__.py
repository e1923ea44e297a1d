"""The record path: each stream's schema, and API values cast to the schema's types."""
