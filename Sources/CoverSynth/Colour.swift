import Foundation

/// An sRGB colour with components in 0…1, as Cairo takes them.
struct Colour: Equatable {
    var r: Double
    var g: Double
    var b: Double

    init(_ r: Double, _ g: Double, _ b: Double) {
        self.r = min(max(r, 0), 1); self.g = min(max(g, 0), 1); self.b = min(max(b, 0), 1)
    }

    /// From hue (degrees), saturation and lightness (0…1): palettes are easier to reason about
    /// in HSL ("a dark, desaturated blue") than in RGB.
    static func hsl(_ hue: Double, _ saturation: Double, _ lightness: Double) -> Colour {
        let h = (hue.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
        let s = min(max(saturation, 0), 1), l = min(max(lightness, 0), 1)
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
        return Colour(r + m, g + m, b + m)
    }

    static let white = Colour(1, 1, 1)
    static let black = Colour(0, 0, 0)

    /// Relative luminance (Rec. 709 weights on the encoded values; close enough to rank contrast).
    var luminance: Double { 0.2126 * r + 0.7152 * g + 0.0722 * b }

    /// `amount` of the way from `self` to `other`.
    func mixed(with other: Colour, _ amount: Double) -> Colour {
        Colour(r + (other.r - r) * amount, g + (other.g - g) * amount, b + (other.b - b) * amount)
    }
}
