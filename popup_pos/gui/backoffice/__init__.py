"""The organizer's back office in the app: catalog, stock, imports and labels."""
