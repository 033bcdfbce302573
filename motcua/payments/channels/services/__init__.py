"""Writes of the payment channels: statement import, bank notifications, gateway payments."""
