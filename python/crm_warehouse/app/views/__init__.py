"""One module per page: TITLE, ICON and render(filters)."""
