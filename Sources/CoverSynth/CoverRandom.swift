import Foundation

/// The synthetic covers' random numbers: SplitMix64 (Steele, Lea & Flood, 2014).
///
/// Every choice a cover makes — palette, layout, words, noise — is drawn from one of these,
/// seeded from the cover's seed, so the same seed gives the same file byte for byte on every
/// machine. The standard library's `random(in:using:)` may change how many values it draws
/// between Swift releases, so the helpers below define their own, fixed, draws.
struct CoverRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A seed for the `index`-th item of a stream named by `salt`, spread so that neighbouring
    /// indices give unrelated covers.
    static func derive(_ seed: UInt64, _ salt: UInt64, _ index: Int) -> UInt64 {
        var mixer = CoverRandom(seed: seed ^ (salt &* 0xD6E8_FEB8_6659_FD93))
        mixer.state &+= UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        return mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform over a closed integer range (the 53-bit draw makes the bias negligible for the
    /// small ranges used here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = Double(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + min(Int(unit() * span), range.upperBound - range.lowerBound)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// Standard normal (Box–Muller; one value per call so the stream never depends on parity).
    mutating func normal() -> Double {
        let u1 = 1 - unit()
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle in place.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = int(0...i)
            if i != j { items.swapAt(i, j) }
        }
    }
}
