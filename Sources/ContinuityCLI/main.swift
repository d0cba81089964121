print("continuity: not yet wired")
