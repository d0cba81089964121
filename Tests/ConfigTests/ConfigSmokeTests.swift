import Testing
@testable import Config

@Test func ConfigModuleBuilds() { #expect(Bool(true) || true) }
