"""Macros: support's saved responses with placeholders (PRODUCT.md §3.4)."""
