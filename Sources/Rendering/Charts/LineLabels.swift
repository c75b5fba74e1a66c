/// Labels for vertical lines drawn above a plot (candidates on a distribution).
///
/// Labels go directly above their lines when that can be done cleanly — at most three rows, no
/// label over another label, no line passing through another's label. When lines crowd too much
/// for that, every line gets a numbered badge instead and the names go into a numbered key, so a
/// reader never has to guess which label belongs to which line.
struct LineLabels {
    enum Mode: Equatable {
        /// Row (0 = nearest the plot) and box (x in figure units, y from the band's bottom up).
        case direct([(row: Int, left: Double, width: Double)])
        /// Badge level (0 or 1) per line and the key's (line, x) per entry.
        case numbered(levels: [Int], key: [(line: Int, x: Double)])

        static func == (a: Mode, b: Mode) -> Bool {
            switch (a, b) {
            case (.direct(let x), .direct(let y)): x.elementsEqual(y) { $0 == $1 }
            case (.numbered(let l1, let k1), .numbered(let l2, let k2)): l1 == l2 && k1.elementsEqual(k2) { $0 == $1 }
            default: false
            }
        }
    }

    static let style = Theme.caption.with(weight: .medium)
    static let maxWidth = 150.0
    /// Key entries are not squeezed between lines, so they can keep more of a long name.
    static let keyMaxWidth = 240.0
    static let badgeRadius = 8.0
    static let maxRows = 3

    let texts: [String]
    /// Line positions in figure units, already clamped to the plot.
    let xs: [Double]
    let plotMinX: Double
    let plotMaxX: Double
    let mode: Mode

    init(texts: [String], xs: [Double], plotMinX: Double, plotMaxX: Double) {
        self.texts = texts
        self.xs = xs
        self.plotMinX = plotMinX
        self.plotMaxX = plotMaxX
        if let direct = LineLabels.direct(texts: texts, xs: xs, minX: plotMinX, maxX: plotMaxX) {
            mode = .direct(direct)
        } else {
            mode = LineLabels.numbered(texts: texts, xs: xs, minX: plotMinX, maxX: plotMaxX)
        }
    }

    static var rowHeight: Double { TextMetrics.lineHeight(style) + 2 }

    /// Height of the band above the plot that the labels need.
    var bandHeight: Double {
        switch mode {
        case .direct(let placed):
            let rows = (placed.map(\.row).max() ?? -1) + 1
            return rows == 0 ? 0 : Double(rows) * LineLabels.rowHeight + 6
        case .numbered(let levels, let key):
            let keyLines = (key.map(\.line).max() ?? -1) + 1
            let badgeLevels = (levels.max() ?? 0) + 1
            return Double(keyLines) * LineLabels.rowHeight + 6 + Double(badgeLevels) * (2 * LineLabels.badgeRadius + 2) + 4
        }
    }

    private static func width(_ text: String) -> Double {
        min(maxWidth, TextMetrics.measure(text, style: style).width)
    }

    private static func direct(texts: [String], xs: [Double], minX: Double, maxX: Double)
        -> [(row: Int, left: Double, width: Double)]? {
        var placed: [(row: Int, left: Double, width: Double)] = []
        for (i, (text, cx)) in zip(texts, xs).enumerated() {
            let w = width(text)
            let lefts = [cx - w / 2, cx + 5, cx - w - 5].map { max(minX, min(maxX - w, $0)) }
            var found: (row: Int, left: Double, width: Double)?
            search: for row in 0..<maxRows {
                for left in lefts {
                    let crossesLine = xs.enumerated().contains { j, x in j != i && x >= left - 4 && x <= left + w + 4 }
                    let overlaps = placed.contains { $0.row == row && $0.left < left + w + 8 && left < $0.left + $0.width + 8 }
                    if !crossesLine && !overlaps {
                        found = (row, left, w)
                        break search
                    }
                }
            }
            guard let found else { return nil }
            placed.append(found)
        }
        return placed
    }

    private static func numbered(texts: [String], xs: [Double], minX: Double, maxX: Double) -> Mode {
        var levels: [Int] = []
        for (i, x) in xs.enumerated() {
            // A badge too close to an earlier one on level 0 moves up a level.
            let crowded = (0..<i).contains { levels[$0] == 0 && abs(xs[$0] - x) < 2 * badgeRadius + 2 }
            levels.append(crowded ? 1 : 0)
        }
        var key: [(line: Int, x: Double)] = []
        var line = 0, x = 0.0
        for (i, text) in texts.enumerated() {
            let w = min(keyMaxWidth, TextMetrics.measure(keyText(i, text), style: style).width)
            if x > 0 && minX + x + w > maxX {
                line += 1
                x = 0
            }
            key.append((line, x))
            x += w + 16
        }
        return .numbered(levels: levels, key: key)
    }

    static func keyText(_ i: Int, _ text: String) -> String { "\(i + 1)  \(text)" }

    /// Draws lines from `plotBottom` up to their labels, and the labels, in the band ending at `bandBottom`.
    func draw(on canvas: Canvas, bandBottom: Double, plotBottom: Double, colour: Colour) {
        switch mode {
        case .direct(let placed):
            for (i, p) in placed.enumerated() {
                let top = bandBottom - 6 - Double(p.row + 1) * LineLabels.rowHeight
                let x = canvas.crisp(xs[i], lineWidth: 1.5)
                canvas.line(from: Point(x: x, y: top + LineLabels.rowHeight - 2), to: Point(x: x, y: plotBottom), colour, width: 1.5)
                canvas.fill(Rect(x: p.left - 2, y: top, width: p.width + 4, height: LineLabels.rowHeight - 2), Theme.background)
                canvas.drawText(texts[i], style: LineLabels.style, at: Point(x: p.left, y: top),
                                maxWidth: LineLabels.maxWidth, overflow: .ellipsizeMiddle)
            }
        case .numbered(let levels, let key):
            let d = 2 * LineLabels.badgeRadius + 2
            for (i, level) in levels.enumerated() {
                let center = Point(x: xs[i], y: bandBottom - 4 - LineLabels.badgeRadius - Double(level) * d)
                let x = canvas.crisp(xs[i], lineWidth: 1.5)
                canvas.line(from: Point(x: x, y: center.y), to: Point(x: x, y: plotBottom), colour, width: 1.5)
                canvas.fillCircle(center: center, radius: LineLabels.badgeRadius, colour)
                canvas.drawText("\(i + 1)", style: Theme.caption.with(weight: .bold, colour: .white), at: center, anchor: .center)
            }
            let badgeBand = Double((levels.max() ?? 0) + 1) * d + 4
            let keyLines = (key.map(\.line).max() ?? 0) + 1
            let keyTop = bandBottom - badgeBand - 6 - Double(keyLines) * LineLabels.rowHeight
            for (i, place) in key.enumerated() {
                canvas.drawText(LineLabels.keyText(i, texts[i]), style: LineLabels.style,
                                at: Point(x: plotMinX + place.x, y: keyTop + Double(place.line) * LineLabels.rowHeight),
                                maxWidth: LineLabels.keyMaxWidth, overflow: .ellipsizeMiddle)
            }
        }
    }
}
