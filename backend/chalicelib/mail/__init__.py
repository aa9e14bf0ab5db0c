"""Mail from the table's stream: who gets what, how it reads, sending exactly once, dead letters.

Only the stream handler imports this package, never the API path.
"""
