import Foundation

/// Colours built and blended as a designer describes them ("a dark, desaturated blue", "the title
/// 30 % of the way from the ground to the accent"), for drawings such as the synthetic covers that
/// choose their palettes instead of reading them from data.
extension Colour {
    /// From hue (degrees, any value), saturation and lightness (0…1, clamped): palettes are easier
    /// to reason about in HSL than in RGB.
    public init(hue: Double, saturation: Double, lightness: Double, alpha: Double = 1) {
        let h = (hue.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
        let s = Self.unit(saturation), l = Self.unit(lightness)
        let c = (1 - abs(2 * l - 1)) * s
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let m = l - c / 2
        let (r, g, b): (Double, Double, Double) = switch Int(h) {
        case 0: (c, x, 0)
        case 1: (x, c, 0)
        case 2: (0, c, x)
        case 3: (0, x, c)
        case 4: (x, 0, c)
        default: (c, 0, x)
        }
        self.init(red: Self.unit(r + m), green: Self.unit(g + m), blue: Self.unit(b + m), alpha: alpha)
    }

    /// `amount` of the way from `self` to `other` in sRGB, alpha included, each component kept in 0…1.
    public func mixed(with other: Colour, _ amount: Double) -> Colour {
        func mix(_ a: Double, _ b: Double) -> Double { Self.unit(a + (b - a) * amount) }
        return Colour(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
                      alpha: mix(alpha, other.alpha))
    }

    /// Rec. 709 luma Y′: the weights of `relativeLuminance` on the encoded (not linearised) values.
    /// Cheaper and coarser than luminance; enough to rank "light or dark" against a fixed threshold.
    public var luma: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    private static func unit(_ v: Double) -> Double { min(max(v, 0), 1) }
}
