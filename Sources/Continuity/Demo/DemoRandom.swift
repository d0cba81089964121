/// The demo's own pseudo-random generator: xoshiro256** seeded through SplitMix64
/// (Blackman & Vigna, prng.di.unimi.it). Our own arithmetic on top of it, not the standard
/// library's `random(in:using:)`, so one seed gives the same stream on every Swift version.
struct DemoRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// One independent stream per (seed, stream) pair: stream 0 for the staff, 1 for the
    /// case numbers, 1000 + i for client i, so a client's story never depends on another's.
    init(seed: UInt64, stream: UInt64) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        s0 = DemoRandom.splitMix(&x)
        s1 = DemoRandom.splitMix(&x)
        s2 = DemoRandom.splitMix(&x)
        s3 = DemoRandom.splitMix(&x)
        // SplitMix64 never yields four zero words in a row, but xoshiro must not start at zero.
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A number in 0..<n (n > 0), by the high word of a 128-bit product (bias < 2⁻⁵⁰).
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(truncatingIfNeeded: UInt64(n).multipliedFullWidth(by: next()).high)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index into `weights`, each chosen in proportion to its weight.
    mutating func weighted(_ weights: [Int]) -> Int {
        var r = below(weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// Roughly `mean` on average, from 1 up to about twice the mean: the sum of two uniforms,
    /// so intervals cluster around the usual rhythm instead of spreading evenly.
    mutating func interval(mean: Int) -> Int {
        let m = max(1, mean)
        return 1 + below(m) + below(m)
    }
}
