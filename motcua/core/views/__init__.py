"""Core's pages: sign-in and accounts, national sign-in, people (officers), error pages, site endpoints."""
