// HTTP module: see README's module map.
