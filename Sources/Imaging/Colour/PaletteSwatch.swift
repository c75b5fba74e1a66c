/// One colour of a cover's palette and the share of the cover it stands for.
public struct PaletteSwatch: Codable, Hashable, Sendable {
    /// The cluster centre in Lab.
    public var lab: LabColour
    /// The mean sRGB colour of the cluster's pixels (what a swatch should be drawn with: it is a
    /// colour the cover really contains, never one clamped into gamut).
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    /// Fraction of the cover's pixels nearest to this swatch (the swatches' shares sum to 1).
    public var share: Double

    public init(lab: LabColour, red: UInt8, green: UInt8, blue: UInt8, share: Double) {
        self.lab = lab
        self.red = red
        self.green = green
        self.blue = blue
        self.share = share
    }

    /// `#RRGGBB`, for HTML and CSV.
    public var hex: String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
    }
}
