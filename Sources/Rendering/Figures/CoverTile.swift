import Imaging

/// A cover shown whole on a light panel, the way every grid in the report presents covers:
/// portrait and landscape images share one tile size and nothing is cropped.
enum CoverTile {
    static let panel = Colour(hex: 0xF3F3F3)

    /// Draws the panel, the image fitted inside it, and a hairline border; `highlight` replaces the
    /// border with a thicker coloured one (near-duplicates).
    static func draw(_ image: RGBImage, in frame: Rect, on canvas: Canvas, highlight: Colour? = nil) {
        canvas.fill(frame, panel)
        canvas.drawImage(image, in: frame.insetBy(dx: 4, dy: 4))
        if let highlight {
            canvas.stroke(frame, highlight, width: 3)
        } else {
            canvas.stroke(frame, Theme.panelBorder, width: 1)
        }
    }
}
