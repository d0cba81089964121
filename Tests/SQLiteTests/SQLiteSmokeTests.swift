import Testing
@testable import SQLite

@Test func SQLiteModuleBuilds() { #expect(Bool(true) || true) }
