"""Signing pages: `officer` (certificates, signing a result), `public` (anyone verifies a signed PDF)."""
