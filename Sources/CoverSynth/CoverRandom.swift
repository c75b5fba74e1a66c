import Foundation
import Support

/// The synthetic covers' random numbers: the project's `SeededGenerator` (xoshiro256**, fixed
/// forever) with the few draws a painter needs.
///
/// Every choice a cover makes — palette, layout, words, grain — comes from one of these, seeded
/// from the cover's seed, so the same seed gives the same file byte for byte on every machine.
struct CoverRandom {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// A seed for the `index`-th item of a stream named by `salt`: SplitMix64 seeding inside
    /// `SeededGenerator` spreads neighbouring indices into unrelated covers.
    static func derive(_ seed: UInt64, _ salt: UInt64, _ index: Int) -> UInt64 {
        var mixer = SeededGenerator(seed: seed ^ (salt &* 0xD6E8_FEB8_6659_FD93)
                                        ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        return mixer.next()
    }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { generator.uniformDouble() }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform over a closed integer range.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + generator.uniformInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// Standard normal.
    mutating func normal() -> Double { generator.normal() }

    mutating func shuffle<T>(_ items: inout [T]) { generator.shuffle(&items) }
}
