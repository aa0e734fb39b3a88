"""A local fake Stripe for tests (localstripe plus an extension), and network-fault tools."""
