"""Custom fields: values as columns of contacts and deals, and the paging of the streams made of /fields' sideloads."""
