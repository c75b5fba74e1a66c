/// Numbered markers for candidates along a plot's x axis, in a band above the plot.
///
/// A marker carries the candidate's number (its place in the report), never its name: names go in
/// the page's text, where they can be as long as they are. The plot's width is cut into slots one
/// marker wide; a marker sits at its slot's centre (a thin line below it marks the exact value), so
/// markers of neighbouring slots never touch. Up to `maxLevels` candidates in one slot stack; a
/// crowd larger than that becomes one grey marker showing the count.
struct CandidateMarks {
    /// One marker: the candidates it stands for (indices into the input), where, and how high.
    struct Mark: Equatable {
        var members: [Int]
        var x: Double
        var level: Int
        var width: Double
        var text: String
        /// A crowd: drawn grey with the member count instead of a number.
        var isCount: Bool { members.count > 1 }
    }

    static let style = Theme.caption.with(weight: .bold, colour: .white)
    static let height = 17.0
    static let levelGap = 3.0
    static let maxLevels = 3
    static let crowdColour = Colour(hex: 0x8A8A8A)

    let marks: [Mark]
    /// Exact positions, for the thin value lines.
    let xs: [Double]

    /// `labels[i]` is drawn on candidate i's marker; `xs[i]` is its value's x (clamped to the plot).
    init(labels: [String], xs: [Double], plotMinX: Double, plotMaxX: Double) {
        self.xs = xs
        func width(_ text: String) -> Double {
            max(CandidateMarks.height, TextMetrics.measure(text, style: CandidateMarks.style).width + 8)
        }
        // Wide enough for any number and for a count up to the number of candidates.
        let widest = (labels + ["\(labels.count)"]).map(width).max() ?? CandidateMarks.height
        let span = max(plotMaxX - plotMinX, widest)
        let slotCount = max(1, Int((span / (widest + 3)).rounded(.down)))
        let slotWidth = span / Double(slotCount)
        var slots: [Int: [Int]] = [:]
        for (i, x) in xs.enumerated() {
            let slot = max(0, min(slotCount - 1, Int(((x - plotMinX) / slotWidth).rounded(.down))))
            slots[slot, default: []].append(i)
        }
        var marks: [Mark] = []
        for slot in slots.keys.sorted() {
            let members = slots[slot]!.sorted { (xs[$0], $0) < (xs[$1], $1) }
            let centre = plotMinX + (Double(slot) + 0.5) * slotWidth
            if members.count <= CandidateMarks.maxLevels {
                for (level, i) in members.enumerated() {
                    marks.append(Mark(members: [i], x: centre, level: level, width: width(labels[i]), text: labels[i]))
                }
            } else {
                let text = "\(members.count)"
                marks.append(Mark(members: members.sorted(), x: centre, level: 0, width: width(text), text: text))
            }
        }
        self.marks = marks
    }

    /// Height of the band the markers need (0 without candidates).
    var bandHeight: Double {
        guard let top = marks.map(\.level).max() else { return 0 }
        return Double(top + 1) * (CandidateMarks.height + CandidateMarks.levelGap) + 4
    }

    /// The marker's box, stacked up from the band's bottom edge `bandBottom`.
    func box(_ mark: Mark, bandBottom: Double) -> Rect {
        let h = CandidateMarks.height
        let bottom = bandBottom - 2 - Double(mark.level) * (h + CandidateMarks.levelGap)
        return Rect(x: mark.x - mark.width / 2, y: bottom - h, width: mark.width, height: h)
    }

    /// A thin line at each exact value from the band down to the baseline, then the markers.
    func draw(on canvas: Canvas, bandBottom: Double, plotBottom: Double, colour: Colour) {
        for x in xs {
            let xx = canvas.crisp(x)
            canvas.line(from: Point(x: xx, y: bandBottom), to: Point(x: xx, y: plotBottom), colour.withAlpha(0.8), width: 1)
        }
        for mark in marks {
            let b = box(mark, bandBottom: bandBottom)
            canvas.fillRoundedRect(b, radius: b.height / 2, mark.isCount ? CandidateMarks.crowdColour : colour)
            canvas.drawText(mark.text, style: CandidateMarks.style, at: b.center, anchor: .center)
        }
    }
}
