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
        if let profile = info.colourProfile {
            let name = profile.name.isEmpty ? "unnamed" : "\"\(profile.name)\""
            parts.append("colour profile \(name) (\(profile.colourSpace))" + (info.colourManaged ? " → sRGB" : ", not applied"))
        } else if info.colourModel == .cmyk || info.colourModel == .ycck {
            parts.append("no colour profile (CMYK converted as PIL does)")
        }
        return parts.joined(separator: ", ")
    }

    /// Further lines for `inspect` about a PDF's first page: its size and every box, in points.
    public var pageDetails: [String] {
        guard let page = info.page else { return [] }
        var lines = ["page 1 of \(page.pageCount)" + (page.mediaBox.map { ": \($0.sizeText)" } ?? "")
                     + (page.rotation != 0 ? ", rotated \(page.rotation)°" : "")]
        for name in ["MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox"] {
            guard let box = page.boxes[name] else { continue }
            let corners = [box.x0, box.y0, box.x1, box.y1].map(PDFPage.Box.number).joined(separator: " ")
            lines.append("\(name) [\(corners)] \(box.sizeText)")
        }
        if !page.hasTrim { lines.append("no TrimBox inside the CropBox: the whole page is used") }
        return lines
    }
}
