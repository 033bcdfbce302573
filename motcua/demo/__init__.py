"""Demo data for the demo province (`manage.py load_demo_province`): one builder module per domain.

Everything built here is marked as demo data; no domain app imports this package.
"""
