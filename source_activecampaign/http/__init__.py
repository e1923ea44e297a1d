"""Talking to the API: the Api-Token header, what each answer means, requests that got no answer,
and the connector's share of the account's rate limit."""
