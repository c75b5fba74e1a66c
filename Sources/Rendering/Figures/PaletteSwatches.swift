import Foundation

/// One colour of a palette and the share of the cover it covers (shares of a palette sum to ~1).
public struct Swatch: Equatable, Sendable {
    public var colour: Colour
    public var share: Double

    public init(colour: Colour, share: Double) {
        self.colour = colour
        self.share = share
    }
}

/// A labelled palette: "candidate", "popular covers (median)", a cluster…
public struct PaletteRow: Equatable, Sendable {
    public var label: String
    public var swatches: [Swatch]

    public init(label: String, swatches: [Swatch]) {
        self.label = label
        self.swatches = swatches
    }
}

/// Palettes as horizontal bars split by share, one bar per row so a candidate's palette can be
/// read against the popular covers'. Percentages sit inside segments wide enough for them; a key
/// under each bar gives every colour's hex code and share, so narrow segments are still named.
public struct PaletteSwatches: Figure, Sendable {
    public var rows: [PaletteRow]
    public var title: String?
    public var barWidth: Double
    public var labels: FigureLabels

    /// `title` nil: the labels' title; "": no title.
    public init(rows: [PaletteRow], title: String? = nil, barWidth: Double = 600, labels: FigureLabels) {
        self.rows = rows
        self.title = title ?? labels.palettesTitle
        self.barWidth = barWidth
        self.labels = labels
    }

    static let barHeight = 40.0
    static let labelWidth = 150.0
    static let keyStyle = Theme.caption
    static let keyHexStyle = Theme.caption.with(weight: .medium)
    static let keySwatch = 11.0
    static let keyEntryGap = 18.0

    private var titleHeight: Double { FigureTitle.height(title) }
    private var keyLineHeight: Double { TextMetrics.lineHeight(PaletteSwatches.keyStyle) + 4 }
    private var barX: Double { Theme.margin + PaletteSwatches.labelWidth + 12 }

    /// Segments in display order with shares normalised to the bar (negative or NaN shares dropped).
    func segments(_ row: PaletteRow) -> [Swatch] {
        let valid = row.swatches.filter { $0.share.isFinite && $0.share > 0 }
        let total = valid.reduce(0) { $0 + $1.share }
        guard total > 0 else { return [] }
        return valid.map { Swatch(colour: $0.colour, share: $0.share / total) }
    }

    func keyText(_ swatch: Swatch) -> (hex: String, share: String) {
        (swatch.colour.hexString, PaletteSwatches.percent(swatch.share))
    }

    static func percent(_ share: Double) -> String {
        share >= 0.095 || share == 0 ? String(format: "%.0f%%", share * 100) : String(format: "%.1f%%", share * 100)
    }

    /// The key's entries placed in lines no wider than the bar: (line, x offset) per swatch.
    func keyPlacement(_ row: PaletteRow) -> [(line: Int, x: Double)] {
        var result: [(line: Int, x: Double)] = []
        var line = 0, x = 0.0
        for s in segments(row) {
            let w = keyEntryWidth(s)
            if x > 0 && x + w > barWidth {
                line += 1
                x = 0
            }
            result.append((line, x))
            x += w + PaletteSwatches.keyEntryGap
        }
        return result
    }

    private func keyEntryWidth(_ s: Swatch) -> Double {
        let t = keyText(s)
        return PaletteSwatches.keySwatch + 5 + TextMetrics.measure(t.hex, style: PaletteSwatches.keyHexStyle).width + 5
            + TextMetrics.measure(t.share, style: PaletteSwatches.keyStyle).width
    }

    private func rowHeight(_ row: PaletteRow) -> Double {
        let lines = (keyPlacement(row).map(\.line).max() ?? -1) + 1
        return PaletteSwatches.barHeight + 8 + Double(lines) * keyLineHeight + 16
    }

    public var size: Size {
        let height = 2 * Theme.margin + titleHeight + rows.map(rowHeight).reduce(0, +) - 16
        return Size(width: (barX + barWidth + Theme.margin).rounded(.up), height: max(60, height.rounded(.up)))
    }

    /// The bar of row `index`.
    public func barFrame(_ index: Int) -> Rect {
        let y = Theme.margin + titleHeight + rows.prefix(index).map(rowHeight).reduce(0, +)
        return Rect(x: barX, y: y, width: barWidth, height: PaletteSwatches.barHeight)
    }

    public func render(in canvas: Canvas) {
        FigureTitle.draw(title, on: canvas, figureWidth: size.width)
        for (i, row) in rows.enumerated() {
            let bar = barFrame(i)
            canvas.drawText(row.label, style: Theme.axisLabel, at: Point(x: bar.minX - 12, y: bar.midY),
                            anchor: .trailing, maxWidth: PaletteSwatches.labelWidth, overflow: .wrap(maxLines: 2))
            drawBar(row, in: bar, on: canvas)
            drawKey(row, below: bar, on: canvas)
        }
    }

    private func drawBar(_ row: PaletteRow, in bar: Rect, on canvas: Canvas) {
        var x = bar.minX
        let parts = segments(row)
        guard !parts.isEmpty else {
            canvas.stroke(bar, Theme.panelBorder)
            canvas.drawText(labels.noColours, style: Theme.caption.with(colour: Theme.secondaryInk), at: bar.center, anchor: .center)
            return
        }
        for s in parts {
            let w = s.share * bar.width
            canvas.fill(Rect(x: x, y: bar.minY, width: w + 0.3, height: bar.height), s.colour)
            let label = PaletteSwatches.percent(s.share)
            if canvas.measure(label, style: Theme.caption).width + 8 <= w {
                canvas.drawText(label, style: Theme.caption.with(colour: s.colour.legibleTextColour),
                                at: Point(x: x + w / 2, y: bar.midY), anchor: .center)
            }
            x += w
        }
        // A hairline frame keeps white and near-white segments visible on the white page.
        canvas.stroke(bar, Theme.panelBorder)
    }

    private func drawKey(_ row: PaletteRow, below bar: Rect, on canvas: Canvas) {
        for (s, place) in zip(segments(row), keyPlacement(row)) {
            let y = bar.maxY + 8 + Double(place.line) * keyLineHeight + keyLineHeight / 2
            var x = bar.minX + place.x
            let square = Rect(x: x, y: y - PaletteSwatches.keySwatch / 2, width: PaletteSwatches.keySwatch,
                              height: PaletteSwatches.keySwatch)
            canvas.fill(square, s.colour)
            canvas.stroke(square, Theme.panelBorder)
            x += PaletteSwatches.keySwatch + 5
            let t = keyText(s)
            x += canvas.drawText(t.hex, style: PaletteSwatches.keyHexStyle, at: Point(x: x, y: y), anchor: .leading).width + 5
            canvas.drawText(t.share, style: PaletteSwatches.keyStyle.with(colour: Theme.secondaryInk), at: Point(x: x, y: y),
                            anchor: .leading)
        }
    }
}
