import Testing
@testable import Continuity

@Test func ContinuityModuleBuilds() { #expect(Bool(true) || true) }
