// SQLite module: see README's module map.
