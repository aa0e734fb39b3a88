"""The helpers' phone server: a JSON API and a phone page on the same services."""
