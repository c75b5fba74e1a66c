/// A small seeded generator (Steele, Lea & Flood's SplitMix64) so palettes and samples are
/// the same for the same seed on every platform and Swift version.
///
/// `SystemRandomNumberGenerator` cannot be seeded, and the standard library's `random(in:using:)`
/// algorithms are not promised to stay fixed, so the helpers below derive integers and doubles
/// from the raw 64-bit stream themselves.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0 ..< bound` (Lemire's multiply-high; the bias is below 2⁻³² for any image size).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform double in `[0, 1)` from the top 53 bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
