"""Reports (PRODUCT.md §3.4): aggregates the stream handler keeps, read by GET /reports/tickets."""
