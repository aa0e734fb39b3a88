"""The organizer's back office: windows opened from the selling screen's Back office menu."""
