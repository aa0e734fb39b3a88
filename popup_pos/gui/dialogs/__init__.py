"""Start-up and organizer dialogs, one module each: PIN pad, first run, opening an
event, settings (with its Stripe page), and what they share (kit, cash_count)."""
