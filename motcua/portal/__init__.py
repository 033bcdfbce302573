"""The citizen portal's own pages, which gather several apps (the home page lists the catalog's fields)."""
