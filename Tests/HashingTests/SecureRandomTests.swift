import Testing
import Hashing

@Test func secureRandom_returnsDistinct32ByteValues() {
    let values = (0..<16).map { _ in SecureRandom.bytes(32) }
    #expect(values.allSatisfy { $0.count == 32 })
    #expect(Set(values.map(SHA256.hex)).count == values.count)
    #expect(!values.contains([UInt8](repeating: 0, count: 32)))
}

@Test(arguments: [0, 1, 255, 256, 257, 1000])
func secureRandom_returnsExactlyTheRequestedCount(count: Int) {
    #expect(SecureRandom.bytes(count).count == count)
}

@Test func secureRandom_largeRequest_isNotMostlyZero() {
    // Requests over 256 bytes are filled in several kernel calls; none may be skipped.
    let bytes = SecureRandom.bytes(4096)
    let zeros = bytes.filter { $0 == 0 }.count
    #expect(zeros < 100)
    #expect(bytes.suffix(256).contains { $0 != 0 })
}

@Test(arguments: [
    ([UInt8](), [UInt8](), true),
    ([1, 2, 3], [1, 2, 3], true),
    ([1, 2, 3], [1, 2, 4], false),
    ([0, 2, 3], [1, 2, 3], false),
    ([1, 2, 3], [1, 2], false),
    ([], [0], false),
    ([255], [255], true),
] as [([UInt8], [UInt8], Bool)])
func constantTimeEquals_comparesContentAndLength(a: [UInt8], b: [UInt8], expected: Bool) {
    #expect(constantTimeEquals(a, b) == expected)
    #expect(constantTimeEquals(b, a) == expected)
}
