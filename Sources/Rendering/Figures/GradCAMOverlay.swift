import Imaging

/// Where the model looked: the cover beside the same cover with its Grad-CAM map blended over it
/// (turbo colour map, 45 % opacity by default), with a colour bar from low to high attention.
public struct GradCAMOverlay: Figure, Sendable {
    public var image: RGBImage
    public var attention: AttentionMap
    public var title: String?
    public var colourMap: ColourMap
    public var alpha: Double
    /// Show the untouched cover on the left, so the reader can see what the colours cover up.
    public var showOriginal: Bool
    /// Height of each image panel; the width follows the cover's aspect ratio.
    public var panelHeight: Double

    public var labels: FigureLabels

    /// `title` nil: the labels' title; "": no title.
    public init(image: RGBImage, attention: AttentionMap, title: String? = nil,
                colourMap: ColourMap = .turbo, alpha: Double = 0.45, showOriginal: Bool = true,
                panelHeight: Double = 300, labels: FigureLabels) {
        self.image = image
        self.attention = attention
        self.title = title ?? labels.gradCAMTitle
        self.labels = labels
        self.colourMap = colourMap
        self.alpha = alpha
        self.showOriginal = showOriginal
        self.panelHeight = panelHeight
    }

    static let gap = 16.0

    private var titleHeight: Double { FigureTitle.height(title) }
    private var captionHeight: Double { TextMetrics.lineHeight(Theme.caption) + 8 }
    private var colourBar: ColourBar {
        ColourBar(map: colourMap, range: 0...1, title: labels.attention, endLabels: (low: labels.low, high: labels.high))
    }

    /// The cover's width at `panelHeight`, but no wider than 1.2 × the height: a banner-shaped
    /// image is fitted inside a panel of that width, so the figure never grows past the page.
    private var panelWidth: Double {
        guard image.width > 0, image.height > 0 else { return panelHeight * 2 / 3 }
        return min(1.2 * panelHeight, (panelHeight * Double(image.width) / Double(image.height)).rounded())
    }

    /// The overlaid image's panel.
    public var overlayFrame: Rect {
        let x = Theme.margin + (showOriginal ? panelWidth + GradCAMOverlay.gap : 0)
        return Rect(x: x, y: Theme.margin + titleHeight, width: panelWidth, height: panelHeight)
    }

    public var size: Size {
        let panels = Double(showOriginal ? 2 : 1)
        let width = 2 * Theme.margin + panels * panelWidth + (panels - 1) * GradCAMOverlay.gap + 20 + colourBar.width
        let height = 2 * Theme.margin + titleHeight + panelHeight + captionHeight
        return Size(width: width.rounded(.up), height: height.rounded(.up))
    }

    public func render(in canvas: Canvas) {
        FigureTitle.draw(title, on: canvas, figureWidth: size.width)
        let overlay = overlayFrame
        let captionStyle = Theme.caption.with(colour: Theme.secondaryInk)
        if showOriginal {
            let original = Rect(x: Theme.margin, y: overlay.y, width: panelWidth, height: panelHeight)
            canvas.drawImage(image, in: original)
            canvas.drawText(labels.cover, style: captionStyle, at: Point(x: original.midX, y: original.maxY + 8), anchor: .top)
        }
        canvas.drawImage(attention.overlay(on: image, colourMap: colourMap, alpha: alpha), in: overlay)
        canvas.drawText(labels.overlay, style: captionStyle, at: Point(x: overlay.midX, y: overlay.maxY + 8), anchor: .top)
        colourBar.draw(on: canvas, origin: Point(x: overlay.maxX + 20, y: overlay.minY + 20),
                       height: max(60, panelHeight - 40))
    }
}
