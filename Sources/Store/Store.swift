// Store module: see README's module map.
