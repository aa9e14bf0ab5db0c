"""Support tickets: their items, rules and status machine, API shapes and routes."""
