/// The bold title at a figure's top-left, shared so every figure's heading sits in the same place.
/// A figure's `title` parameter defaults to its `FigureLabels` title; an empty string means none.
enum FigureTitle {
    /// Vertical space the title takes, including the gap below it (0 without a title).
    static func height(_ title: String?) -> Double {
        (title ?? "").isEmpty ? 0 : TextMetrics.lineHeight(Theme.title) + 14
    }

    /// Draws `title` inside the margins of a figure `figureWidth` wide, ellipsized if too long.
    static func draw(_ title: String?, on canvas: Canvas, figureWidth: Double) {
        guard let title, !title.isEmpty else { return }
        canvas.drawText(title, style: Theme.title, at: Point(x: Theme.margin, y: Theme.margin),
                        maxWidth: figureWidth - 2 * Theme.margin)
    }
}
