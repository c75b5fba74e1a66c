import Foundation
import Imaging

/// One popular cover found near a candidate.
public struct SimilarityMatch: Sendable {
    public var image: RGBImage
    public var name: String
    public var cosine: Double
    /// Cosine above the near-duplicate threshold: the candidate may copy this cover.
    public var nearDuplicate: Bool

    public init(image: RGBImage, name: String, cosine: Double, nearDuplicate: Bool = false) {
        self.image = image
        self.name = name
        self.cosine = cosine
        self.nearDuplicate = nearDuplicate
    }
}

/// A candidate cover beside its top-k most similar popular covers, each with its cosine score and
/// file name; near-duplicates get a red frame and a label, since a publisher must see them first.
public struct SimilarityGrid: Figure, Sendable {
    public var candidate: RGBImage
    public var candidateName: String
    public var matches: [SimilarityMatch]
    public var title: String?
    /// Size of each cover's panel; 2:3 is a typical book cover.
    public var tileSize: Size
    public var labels: FigureLabels

    /// `title` nil: the labels' title; "": no title.
    public init(candidate: RGBImage, candidateName: String, matches: [SimilarityMatch], title: String? = nil,
                tileSize: Size = Size(width: 150, height: 225), labels: FigureLabels) {
        self.candidate = candidate
        self.candidateName = candidateName
        self.matches = matches
        self.title = title ?? labels.similarityGridTitle
        self.tileSize = tileSize
        self.labels = labels
    }

    static let tileGap = 16.0
    static let emptyNoteWidth = 200.0
    static let dividerGap = 36.0
    static let headerStyle = Theme.caption.with(weight: .bold)
    static let nameStyle = Theme.caption
    static let scoreStyle = Theme.caption.with(colour: Theme.secondaryInk)
    static let alertStyle = Theme.caption.with(weight: .bold, colour: Theme.alert)

    private var titleHeight: Double { FigureTitle.height(title) }
    private var headerHeight: Double { TextMetrics.lineHeight(SimilarityGrid.headerStyle) + 6 }
    /// Name, score bar and score, and the near-duplicate label.
    private var captionHeight: Double {
        8 + TextMetrics.lineHeight(SimilarityGrid.nameStyle) + 12 + TextMetrics.lineHeight(SimilarityGrid.scoreStyle)
            + 2 + TextMetrics.lineHeight(SimilarityGrid.alertStyle)
    }

    public var size: Size {
        let k = Double(matches.count)
        // With no matches, room for a note saying so instead of an unexplained lone cover.
        let matchesWidth = k > 0 ? SimilarityGrid.dividerGap + k * tileSize.width + (k - 1) * SimilarityGrid.tileGap
            : SimilarityGrid.dividerGap + SimilarityGrid.emptyNoteWidth
        let titleWidth = TextMetrics.measure(title ?? "", style: Theme.title).width
        let width = 2 * Theme.margin + max(tileSize.width + matchesWidth, titleWidth)
        let height = 2 * Theme.margin + titleHeight + headerHeight + tileSize.height + captionHeight
        return Size(width: width.rounded(.up), height: height.rounded(.up))
    }

    /// The candidate's panel.
    public var candidateFrame: Rect {
        Rect(x: Theme.margin, y: Theme.margin + titleHeight + headerHeight, width: tileSize.width, height: tileSize.height)
    }

    /// The panel of match `index` (0 = most similar).
    public func matchFrame(_ index: Int) -> Rect {
        let x = candidateFrame.maxX + SimilarityGrid.dividerGap + Double(index) * (tileSize.width + SimilarityGrid.tileGap)
        return Rect(x: x, y: candidateFrame.y, width: tileSize.width, height: tileSize.height)
    }

    public func render(in canvas: Canvas) {
        FigureTitle.draw(title, on: canvas, figureWidth: size.width)
        let frame = candidateFrame
        drawHeader(labels.candidate, above: frame, on: canvas, style: SimilarityGrid.headerStyle)
        CoverTile.draw(candidate, in: frame, on: canvas)
        drawName(candidateName, below: frame, on: canvas)
        if matches.isEmpty {
            canvas.drawText(labels.noMatches, style: Theme.caption.with(colour: Theme.secondaryInk),
                            at: Point(x: frame.maxX + SimilarityGrid.dividerGap, y: frame.midY), anchor: .leading,
                            maxWidth: SimilarityGrid.emptyNoteWidth, overflow: .wrap(maxLines: 3))
        } else {
            let x = canvas.crisp(frame.maxX + SimilarityGrid.dividerGap / 2)
            canvas.line(from: Point(x: x, y: frame.minY - headerHeight), to: Point(x: x, y: size.height - Theme.margin),
                        Theme.panelBorder)
        }
        for (i, match) in matches.enumerated() {
            let f = matchFrame(i)
            drawHeader("#\(i + 1)", above: f, on: canvas, style: SimilarityGrid.headerStyle.with(colour: Theme.secondaryInk))
            CoverTile.draw(match.image, in: f, on: canvas, highlight: match.nearDuplicate ? Theme.alert : nil)
            var y = drawName(match.name, below: f, on: canvas)
            y = drawScore(match.cosine, at: Point(x: f.minX, y: y), width: f.width, on: canvas)
            if match.nearDuplicate {
                canvas.drawText(labels.nearDuplicate, style: SimilarityGrid.alertStyle, at: Point(x: f.minX, y: y + 2))
            }
        }
    }

    private func drawHeader(_ text: String, above frame: Rect, on canvas: Canvas, style: TextStyle) {
        canvas.drawText(text, style: style, at: Point(x: frame.minX, y: frame.minY - 6), anchor: .bottomLeading,
                        maxWidth: frame.width)
    }

    /// The file name under a panel, middle-ellipsized to keep its extension; returns the y below it.
    @discardableResult
    private func drawName(_ name: String, below frame: Rect, on canvas: Canvas) -> Double {
        let h = canvas.drawText(name, style: SimilarityGrid.nameStyle, at: Point(x: frame.minX, y: frame.maxY + 8),
                                maxWidth: frame.width, overflow: .ellipsizeMiddle).height
        return frame.maxY + 8 + max(h, TextMetrics.lineHeight(SimilarityGrid.nameStyle))
    }

    /// A thin bar showing the cosine on 0…1 and the value to 3 decimals; returns the y below it.
    private func drawScore(_ cosine: Double, at origin: Point, width: Double, on canvas: Canvas) -> Double {
        let track = Rect(x: origin.x, y: origin.y + 4, width: width, height: 4)
        canvas.fill(track, Theme.gridLine)
        let share = cosine.isFinite ? max(0, min(1, cosine)) : 0
        canvas.fill(Rect(x: track.x, y: track.y, width: track.width * share, height: track.height), Theme.series[0])
        let text = labels.cosine + " " + (cosine.isFinite ? String(format: "%.3f", cosine) : "—")
        let h = canvas.drawText(text, style: SimilarityGrid.scoreStyle, at: Point(x: origin.x, y: track.maxY + 4)).height
        return track.maxY + 4 + h
    }
}
