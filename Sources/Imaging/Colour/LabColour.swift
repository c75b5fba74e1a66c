import Foundation

/// A colour in CIE L*a*b* (D65 white), converted from and to 8-bit sRGB with the exact formulas.
///
/// Lab is where colour statistics are computed because Euclidean distance there (ΔE*76) roughly
/// follows perceived difference — a palette clustered in RGB splits dark colours too finely and
/// merges light ones. `l` is 0 (black) … 100 (white); `a` runs green (−) to red (+), `b` blue (−)
/// to yellow (+), both about −128 … 127 for sRGB colours.
///
/// sRGB → linear: `c ≤ 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4` (IEC 61966-2-1);
/// linear → XYZ with the sRGB/D65 matrix; XYZ → Lab with white (0.95047, 1, 1.08883) and
/// `f(t) = t > (6/29)³ ? ∛t : t / (3·(6/29)²) + 4/29`.
public struct LabColour: Codable, Hashable, Sendable {
    public var l: Double
    public var a: Double
    public var b: Double

    public init(l: Double, a: Double, b: Double) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// The Lab coordinates of an 8-bit sRGB colour.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        let r = Self.linear[Int(red)], g = Self.linear[Int(green)], bl = Self.linear[Int(blue)]
        let m = Self.rgbToXYZ
        let x = (m[0] * r + m[1] * g + m[2] * bl) / Self.white.x
        let y = (m[3] * r + m[4] * g + m[5] * bl) / Self.white.y
        let z = (m[6] * r + m[7] * g + m[8] * bl) / Self.white.z
        let fx = Self.f(x), fy = Self.f(y), fz = Self.f(z)
        self.init(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// CIE76 colour difference: the Euclidean distance in Lab. About 2.3 is a just-noticeable difference.
    public func distance(to other: LabColour) -> Double {
        squaredDistance(to: other).squareRoot()
    }

    func squaredDistance(to other: LabColour) -> Double {
        let dl = l - other.l, da = a - other.a, db = b - other.b
        return dl * dl + da * da + db * db
    }

    /// The nearest 8-bit sRGB colour (components clamped to the sRGB gamut), e.g. to draw a swatch.
    public var srgb: (red: UInt8, green: UInt8, blue: UInt8) {
        let fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - b / 200
        let x = Self.fInverse(fx) * Self.white.x, y = Self.fInverse(fy) * Self.white.y, z = Self.fInverse(fz) * Self.white.z
        let m = Self.xyzToRGB
        func encode(_ c: Double) -> UInt8 {
            let c = min(max(c, 0), 1)
            let v = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
            return UInt8((v * 255).rounded())
        }
        return (encode(m[0] * x + m[1] * y + m[2] * z),
                encode(m[3] * x + m[4] * y + m[5] * z),
                encode(m[6] * x + m[7] * y + m[8] * z))
    }

    // MARK: - Constants

    /// The sRGB transfer function inverted for every byte value (the costly `pow` runs 256 times).
    static let linear: [Double] = (0...255).map { v in
        let c = Double(v) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
    /// Linear sRGB → XYZ (D65), row-major 3×3.
    static let rgbToXYZ: [Double] = [0.4124564, 0.3575761, 0.1804375,
                                     0.2126729, 0.7151522, 0.0721750,
                                     0.0193339, 0.1191920, 0.9503041]
    /// XYZ (D65) → linear sRGB, the inverse of `rgbToXYZ`.
    static let xyzToRGB: [Double] = [ 3.2404542, -1.5371385, -0.4985314,
                                     -0.9692660,  1.8760108,  0.0415560,
                                      0.0556434, -0.2040259,  1.0572252]
    static let white = (x: 0.95047, y: 1.0, z: 1.08883)

    private static let delta = 6.0 / 29.0

    private static func f(_ t: Double) -> Double {
        t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29.0
    }

    private static func fInverse(_ t: Double) -> Double {
        t > delta ? t * t * t : 3 * delta * delta * (t - 4.0 / 29.0)
    }
}
