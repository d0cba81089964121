import Testing
@testable import API

@Test func APIModuleBuilds() { #expect(Bool(true) || true) }
