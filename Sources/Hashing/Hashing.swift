// Hashing module: see README's module map.
