"""Was this page helpful?": votes on the site's pages, per-page tallies, and the admins' report."""
