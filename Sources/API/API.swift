// API module: see README's module map.
