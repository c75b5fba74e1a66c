import Foundation

/// Tick positions a reader can count in: multiples of 1, 2 or 5 × 10ⁿ ("nice numbers",
/// Heckbert 1990, as matplotlib's MaxNLocator does with steps 1-2-5).
public struct NiceTicks: Equatable, Sendable {
    /// Tick values inside the (extended) domain, ascending.
    public let values: [Double]
    public let step: Double
    /// The data range widened to whole steps, used as the axis domain so the axis starts and ends on a tick.
    public let domain: ClosedRange<Double>

    /// At most `maxCount` ticks covering `lower…upper`. `integersOnly` keeps steps ≥ 1 (epochs).
    public init(lower: Double, upper: Double, maxCount: Int = 6, integersOnly: Bool = false) {
        var lo = lower.isFinite ? lower : 0, hi = upper.isFinite ? upper : 1
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-12 {
            // A flat series still needs an axis: widen around the value.
            let pad = abs(lo) > 1e-12 ? abs(lo) * 0.1 : 1
            lo -= pad
            hi += pad
        }
        let count = max(2, maxCount)
        var step = NiceTicks.niceStep(atLeast: (hi - lo) / Double(count - 1))
        if integersOnly { step = max(1, step.rounded()) }
        while ((hi / step).rounded(.up) - (lo / step).rounded(.down)) + 1 > Double(count) {
            step = NiceTicks.niceStep(atLeast: step * 1.0001)
        }
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        self.step = step
        self.domain = (first * step)...(last * step)
        // k × mantissa is an exact integer; dividing by an exact power of ten then rounds once,
        // so 3 × 0.2 comes out as 0.6, not 0.6000000000000001.
        let exponent = log10(step).rounded(.down)
        let mantissa = (step / pow(10, exponent)).rounded()
        var values: [Double] = []
        var k = first
        while k <= last + 0.5 {
            let units = k * mantissa
            values.append(exponent < 0 ? units / pow(10, -exponent) : units * pow(10, exponent))
            k += 1
        }
        self.values = values
    }

    /// The smallest 1, 2 or 5 × 10ⁿ that is ≥ `raw`.
    static func niceStep(atLeast raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * magnitude >= raw * (1 - 1e-9) {
            return m * magnitude
        }
        return 10 * magnitude
    }

    /// Ticks of this step restricted to `range` (when the axis domain is set independently).
    public func values(within range: ClosedRange<Double>) -> [Double] {
        values.filter { $0 >= range.lowerBound - step * 1e-9 && $0 <= range.upperBound + step * 1e-9 }
    }

    /// A label with just enough decimals for this step (0.25 steps → 2 decimals, 5 → none), and a
    /// true minus sign as typeset text uses.
    public func label(_ value: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        let text = String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value)
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }
}
