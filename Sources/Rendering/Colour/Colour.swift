import Foundation

/// An sRGB colour with straight (not premultiplied) alpha, components in 0…1.
public struct Colour: Equatable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from 8-bit components, as an `RGBImage` or a palette stores them.
    public init(red8: UInt8, green8: UInt8, blue8: UInt8, alpha: Double = 1) {
        self.init(red: Double(red8) / 255, green: Double(green8) / 255, blue: Double(blue8) / 255, alpha: alpha)
    }

    /// A colour written as `0xRRGGBB` in code (theme constants).
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red8: UInt8((hex >> 16) & 0xFF), green8: UInt8((hex >> 8) & 0xFF), blue8: UInt8(hex & 0xFF),
                  alpha: alpha)
    }

    public func withAlpha(_ alpha: Double) -> Colour {
        Colour(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// 8-bit components, rounded and clamped.
    public var bytes: (r: UInt8, g: UInt8, b: UInt8) {
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
        return (byte(red), byte(green), byte(blue))
    }

    /// `#RRGGBB` in upper case, as designers write colours.
    public var hexString: String {
        let b = bytes
        return String(format: "#%02X%02X%02X", b.r, b.g, b.b)
    }

    /// WCAG relative luminance (0 = black, 1 = white), used to pick legible text on a filled cell.
    public var relativeLuminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// Dark or white text, whichever reads better on `self` as a background.
    public var legibleTextColour: Colour {
        relativeLuminance > 0.36 ? Theme.ink : .white
    }

    public static let white = Colour(red: 1, green: 1, blue: 1)
    public static let black = Colour(red: 0, green: 0, blue: 0)
}
