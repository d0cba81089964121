// Config module: see README's module map.
