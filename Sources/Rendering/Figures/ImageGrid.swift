import Imaging

/// One image with its caption (e.g. a style cluster's exemplar and "cluster 3 · 41 covers").
public struct CaptionedImage: Sendable {
    public var image: RGBImage
    public var caption: String

    public init(image: RGBImage, caption: String) {
        self.image = image
        self.caption = caption
    }
}

/// Covers in rows with captions under each: style-cluster exemplars, the average cover.
/// Captions wrap to at most two lines so long names never run into the neighbouring tile.
///
/// At most `maxRows` rows are drawn: a longer list belongs in the page's text, so the last tile
/// says how many more there are instead of the figure growing without end.
public struct ImageGrid: Figure, Sendable {
    public var items: [CaptionedImage]
    public var title: String?
    public var columns: Int
    public var tileSize: Size
    public var maxRows: Int
    public var labels: FigureLabels

    public init(items: [CaptionedImage], title: String? = nil, columns: Int = 5,
                tileSize: Size = Size(width: 140, height: 210), maxRows: Int = 3, labels: FigureLabels) {
        self.items = items
        self.title = title
        self.columns = max(1, min(columns, max(1, items.count)))
        self.tileSize = tileSize
        self.maxRows = max(1, maxRows)
        self.labels = labels
    }

    /// Items drawn as tiles; when there are more than fit, the last tile counts the rest.
    private var shown: Int { items.count <= columns * maxRows ? items.count : columns * maxRows - 1 }
    private var hidden: Int { items.count - shown }

    static let gap = 16.0
    static let captionLines = 2

    private var titleHeight: Double { FigureTitle.height(title) }
    private var captionHeight: Double { 6 + Double(ImageGrid.captionLines) * TextMetrics.lineHeight(Theme.caption) }
    private var rows: Int { (shown + (hidden > 0 ? 1 : 0) + columns - 1) / columns }

    public var size: Size {
        let c = Double(columns), r = Double(max(1, rows))
        let width = 2 * Theme.margin + c * tileSize.width + (c - 1) * ImageGrid.gap
        let height = 2 * Theme.margin + titleHeight + r * (tileSize.height + captionHeight) + (r - 1) * ImageGrid.gap
        return Size(width: width.rounded(.up), height: height.rounded(.up))
    }

    /// The panel of item `index`, filled row by row.
    public func tileFrame(_ index: Int) -> Rect {
        let row = Double(index / columns), column = Double(index % columns)
        return Rect(x: Theme.margin + column * (tileSize.width + ImageGrid.gap),
                    y: Theme.margin + titleHeight + row * (tileSize.height + captionHeight + ImageGrid.gap),
                    width: tileSize.width, height: tileSize.height)
    }

    public func render(in canvas: Canvas) {
        FigureTitle.draw(title, on: canvas, figureWidth: size.width)
        for (i, item) in items.prefix(shown).enumerated() {
            let frame = tileFrame(i)
            CoverTile.draw(item.image, in: frame, on: canvas)
            canvas.drawText(item.caption, style: Theme.caption, at: Point(x: frame.midX, y: frame.maxY + 6),
                            anchor: .top, maxWidth: frame.width, overflow: .wrap(maxLines: ImageGrid.captionLines))
        }
        if hidden > 0 {
            let frame = tileFrame(shown)
            canvas.fill(frame, CoverTile.panel)
            canvas.drawText(labels.more.replacingOccurrences(of: "{count}", with: "\(hidden)"), style: Theme.axisLabel,
                            at: frame.center, anchor: .center, maxWidth: frame.width - 8, overflow: .wrap(maxLines: 2))
        }
    }
}
