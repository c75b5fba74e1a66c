/// A 256-entry colour map looked up exactly as matplotlib's `ListedColormap` does
/// (`index = Int(t * 256)`, clamped to 0…255, no interpolation), so a value gets the same colour
/// here as in a matplotlib figure of the same data.
public struct ColourMap: Sendable {
    public let name: String
    /// `r, g, b` triples in 0…1, 256 of them.
    let table: [Float]

    init(name: String, table: [Float]) {
        precondition(table.count == 768, "a colour map table holds 256 RGB triples")
        self.name = name
        self.table = table
    }

    public static let viridis = ColourMap(name: "viridis", table: ColourMapTables.viridis)
    public static let turbo = ColourMap(name: "turbo", table: ColourMapTables.turbo)

    /// Table index for `t` in 0…1; NaN maps to the low end.
    func index(_ t: Double) -> Int {
        guard t.isFinite else { return t == .infinity ? 255 : 0 }
        return max(0, min(255, Int((t * 256).rounded(.down))))
    }

    /// The colour for `t` in 0…1 (values outside are clamped).
    public func colour(at t: Double) -> Colour {
        let i = index(t) * 3
        return Colour(red: Double(table[i]), green: Double(table[i + 1]), blue: Double(table[i + 2]))
    }

    /// The colour for `t` as 8-bit sRGB, for blending into pixels.
    public func bytes(at t: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        colour(at: t).bytes
    }
}
