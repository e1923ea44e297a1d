"""Custom objects: one stream per schema; a record's field values as columns."""
