"""Contacts and the child streams that ride on the contacts pages: the sync's plan, id ranges,
pages shared between streams, and the child rows taken from them."""
