"""Signing URLs: `officer` under /chu-ky-so/ (namespace "signing"), `public` under /xac-thuc/ ("verify")."""
