"""The line to the municipality that every kapstok uses: questions as threads between a board
and the liaison group's topics."""
