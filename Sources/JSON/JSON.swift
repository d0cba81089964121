// JSON module: see README's module map.
