extension DecodedImage {
    /// One line describing the file, for `coverlens inspect`, e.g.
    /// `jpeg progressive, ycck 8-bit, 1200×1800, orientation 6 (rotate 90° clockwise) → upright 1800×1200`.
    ///
    /// Sizes are as stored; the upright size follows whenever orientation changed it.
    public var summary: String {
        let info = self.info
        var parts = [
            [info.format.rawValue, info.variant].filter { !$0.isEmpty }.joined(separator: " "),
            "\(info.colourModel.rawValue) \(info.bitDepth)-bit",
            "\(info.storedWidth)×\(info.storedHeight)",
        ]
        var orientation = "orientation \(info.orientation.rawValue)"
        if info.orientation != .up {
            orientation += " (\(info.orientation.correction))"
            orientation += info.orientationApplied ? " → upright \(width)×\(height)" : ", not applied"
        }
        parts.append(orientation)
        if info.colourModel.hasAlpha { parts.append("alpha composited over white") }
        if info.isAnimated { parts.append("animated, \(info.frameCount) frames (first decoded)") }
        return parts.joined(separator: ", ")
    }
}
