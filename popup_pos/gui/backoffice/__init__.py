"""The organizer's back office: catalog, stock, imports, labels, orders and download codes."""
