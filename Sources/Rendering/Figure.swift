import Foundation
import Imaging
import Support

/// A picture with a fixed logical size that draws itself on any `Canvas`.
///
/// Every figure takes plain values (images, names, numbers), so the analysis code adapts to the
/// figures, not the other way round; `render(in:)` draws from (0, 0) to `size`.
public protocol Figure {
    /// Logical size: pixels at scale 1, points in a PDF.
    var size: Size { get }
    func render(in canvas: Canvas)
}

extension Figure {
    /// The figure as pixels at `scale` (2 for high-density screens: twice the pixels, same layout).
    public func renderImage(scale: Double = 1) throws -> RGBImage {
        let canvas = try Canvas(size: size, scale: scale)
        render(in: canvas)
        return try canvas.renderedImage()
    }

    /// Writes the figure as a PNG at `scale`, atomically.
    public func writePNG(to url: URL, scale: Double = 1) throws {
        let canvas = try Canvas(size: size, scale: scale)
        render(in: canvas)
        try canvas.writePNG(to: url)
    }

    /// Writes the figure as a JPEG at `scale` (for figures that are mostly photographs), atomically.
    public func writeJPEG(to url: URL, scale: Double = 1, quality: Int = 85) throws {
        let image = try renderImage(scale: scale)
        do {
            try JPEGEncoder.write(image, quality: quality, to: url)
        } catch let error as JPEGEncodeError {
            throw RenderingError.writeFailed(path: url.path, reason: error.description)
        }
    }

    /// Writes the figure as a WebP at `scale` (lossless for charts, lossy for covers), atomically.
    public func writeWebP(to url: URL, scale: Double = 1, mode: WebPEncoder.Mode) throws {
        let image = try renderImage(scale: scale)
        let data: Data
        do { data = try WebPEncoder.encode(image, mode) } catch let error as WebPEncoder.EncodeError {
            throw RenderingError.writeFailed(path: url.path, reason: error.description)
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as AtomicFile.WriteError {
            throw RenderingError.writeFailed(path: error.path, reason: error.reason)
        }
    }

    /// Writes the figure as a one-page vector PDF of `size` points, atomically.
    public func writePDF(to url: URL) throws {
        let canvas = try Canvas(pdfSize: size)
        canvas.fill(Rect(origin: Point(x: 0, y: 0), size: size), Theme.background)
        render(in: canvas)
        try canvas.writePDF(to: url)
    }

    /// Draws the figure scaled to fit `frame` on another canvas (a PDF report page), centred.
    public func draw(on canvas: Canvas, in frame: Rect) {
        let fitted = frame.aspectFit(size)
        guard fitted.width > 0 else { return }
        canvas.withState {
            canvas.translate(by: Point(x: fitted.x, y: fitted.y))
            canvas.scale(by: fitted.width / size.width)
            canvas.clip(to: Rect(origin: Point(x: 0, y: 0), size: size))
            render(in: canvas)
        }
    }
}
