"""Adapters that take money: cash, wallet links, Stripe QR and Stripe card readers."""
