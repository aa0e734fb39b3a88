"""Email: the SMTP connection, the password in the keyring, and composing messages."""
