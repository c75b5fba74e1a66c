/// Measures text without a target canvas, so a figure can lay itself out (and a test can ask
/// where things are) before drawing. Layouts are unhinted at a fixed 96 dpi, so the answer is the
/// same on every canvas.
enum TextMetrics {
    static func measure(_ text: String, style: TextStyle, maxWidth: Double? = nil,
                        overflow: TextOverflow = .ellipsizeEnd) -> Size {
        guard let canvas = try? Canvas(size: Size(width: 1, height: 1)) else { return Size(width: 0, height: 0) }
        return canvas.measure(text, style: style, maxWidth: maxWidth, overflow: overflow)
    }

    /// Height of one line of `style` (for reserving rows).
    static func lineHeight(_ style: TextStyle) -> Double {
        measure("Ag한", style: style).height
    }

    static func maxWidth(_ texts: [String], style: TextStyle) -> Double {
        guard let canvas = try? Canvas(size: Size(width: 1, height: 1)) else { return 0 }
        return texts.map { canvas.measure($0, style: style).width }.max() ?? 0
    }
}
