import Testing
@testable import JSON

/// SplitMix64: a small seeded generator so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomJSON {
    /// Scalars that stress the writer and parser: controls, quotes, separators, astral.
    static let scalars: [Unicode.Scalar] = [
        "a", "z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}",
        "\u{D}", "\u{1F}", "\u{7F}", "\u{80}", "é", "ß", "\u{2028}", "\u{2029}", "中", "\u{FFFF}",
        "😀", "\u{10FFFF}", "\u{E2}",
    ]

    static func string<G: RandomNumberGenerator>(_ g: inout G) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &g) {
            s.append(scalars.randomElement(using: &g)!)
        }
        return String(s)
    }

    static func double<G: RandomNumberGenerator>(_ g: inout G) -> Double {
        while true {
            let d = Double(bitPattern: g.next())
            if d.isFinite { return d }
        }
    }

    static func value<G: RandomNumberGenerator>(_ g: inout G, depth: Int) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 0 ? 9 : 6), using: &g)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int64(bitPattern: g.next()))
        case 3: return .double(double(&g))
        case 4: return .number(rounded: Double.random(in: -1e6...1e6, using: &g), decimals: Int.random(in: 0...6, using: &g))
        case 5: return .string(string(&g))
        case 6, 7:
            return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in value(&g, depth: depth - 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...5, using: &g) {
                object[string(&g)] = value(&g, depth: depth - 1)
            }
            return .object(object)
        }
    }
}

@Suite("Round-trip properties")
struct RoundTripPropertyTests {
    @Test("Random values serialize and parse back to the same value", arguments: [1, 2, 3, 42, 2024] as [UInt64])
    func randomValuesRoundTrip(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        for _ in 0..<200 {
            let value = RandomJSON.value(&g, depth: 4)
            let bytes = JSON.serialize(value)
            let parsed = try JSON.parse(bytes)
            #expect(parsed == value)
            #expect(JSON.serialize(parsed) == bytes)
        }
    }

    @Test("Shortest double text reads back as the same double")
    func doublesRoundTrip() {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let d = RandomJSON.double(&g)
            let value = JSONValue.double(d)
            #expect(value.doubleValue == d)
        }
    }

    @Test("Rounded text never has an exponent or trailing zeros below 1e15")
    func roundedTextIsPlain() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<5_000 {
            let d = Double.random(in: -1e14...1e14, using: &g) / Double(Int.random(in: 1...1_000_000, using: &g))
            guard case .number(let text) = JSONValue.number(rounded: d, decimals: 4) else {
                Issue.record("not a number for \(d)")
                continue
            }
            #expect(!text.contains("e"))
            #expect(!(text.contains(".") && text.hasSuffix("0")))
            #expect(!text.hasSuffix("."))
            let back = Double(text) ?? .nan
            #expect(abs(back - d) <= 0.00005 + abs(d) * 1e-15)
        }
    }
}
