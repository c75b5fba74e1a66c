import Foundation

/// A small, fast, seeded random number generator whose sequence is fixed forever.
///
/// CoverLens promises that the same seed gives the same model, on every machine and every Swift
/// release. `SystemRandomNumberGenerator` is not seedable, and the standard library's
/// `shuffle(using:)` / `random(in:using:)` may change how many values they draw between releases, so
/// everything stochastic goes through this type and its own `shuffle`/`uniformInt`.
///
/// Algorithm: xoshiro256** (Blackman & Vigna, 2018), state seeded by SplitMix64 as its authors
/// recommend. The state is `Codable`, so a resumed training run continues the same sequence.
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }   // the all-zero state is a fixed point
    }

    /// A generator with an explicit xoshiro256** state (for the published test vectors).
    init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        (self.s0, self.s1, self.s2, self.s3) = (s0, s1, s2, s3)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// Uniform in `0..<bound` without modulo bias (Lemire's multiply-and-reject), `bound > 0`.
    public mutating func uniformInt(below bound: Int) -> Int {
        precondition(bound > 0, "uniformInt(below:) needs a positive bound")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in [low, high), computed in Double and rounded once to Float.
    public mutating func uniformFloat(_ low: Float, _ high: Float) -> Float {
        Float(Double(low) + (Double(high) - Double(low)) * uniformDouble())
    }

    /// Standard normal by the Box–Muller transform (one value per call; the second is discarded
    /// so that the sequence does not depend on call parity).
    public mutating func normal() -> Double {
        let u1 = 1 - uniformDouble()            // (0, 1]: log stays finite
        let u2 = uniformDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle in place, drawing exactly `count - 1` values.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = uniformInt(below: i + 1)
            if i != j { items.swapAt(i, j) }
        }
    }

    /// A shuffled copy.
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var copy = items
        shuffle(&copy)
        return copy
    }

    /// `0..<count` in random order.
    public mutating func permutation(_ count: Int) -> [Int] {
        shuffled(Array(0..<count))
    }

    @inline(__always) private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea & Flood): spreads one 64-bit seed over xoshiro's 256-bit state.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
