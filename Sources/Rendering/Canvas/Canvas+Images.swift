import CCairo
import Foundation
import Imaging
import Support

extension Canvas {
    /// Draws `image` as large as fits in `rect` without cropping or stretching, and returns where
    /// it landed. Downscaling uses Cairo's GOOD filter (a box filter), so a 3000-pixel cover
    /// shrunk to a tile does not alias.
    @discardableResult
    public func drawImage(_ image: RGBImage, in rect: Rect) -> Rect {
        let target = rect.aspectFit(Size(width: Double(image.width), height: Double(image.height)))
        drawImage(image, stretchedTo: target, smooth: true)
        return target
    }

    /// Draws `image` filling `target` exactly (aspect ratio not kept). `smooth: false` keeps hard
    /// pixel edges (a 4×4 heatmap stays 16 squares).
    public func drawImage(_ image: RGBImage, stretchedTo target: Rect, smooth: Bool) {
        guard target.width > 0, target.height > 0, var source = try? CairoImageInterop.surface(from: image) else { return }
        var pixelWidth = image.width, pixelHeight = image.height
        if case .pdf = kind, smooth {
            // A PDF embeds the pixels it is given: a 3000-pixel cover in a 2-inch tile would make a
            // report of hundreds of megabytes. 200 dpi at the tile's printed size is plenty for a
            // cover thumbnail on paper or screen, and keeps a report small enough to mail.
            var dw = target.width, dh = target.height
            cairo_user_to_device_distance(context, &dw, &dh)
            let w = Int((abs(dw) * 200 / 72).rounded(.up)), h = Int((abs(dh) * 200 / 72).rounded(.up))
            if w > 0, h > 0, w < pixelWidth, h < pixelHeight,
               let smaller = CairoImageInterop.downsampled(source, width: w, height: h) {
                cairo_surface_destroy(source)
                source = smaller
                pixelWidth = w
                pixelHeight = h
            }
        }
        if case .pdf = kind {
            if smooth { CairoImageInterop.attachJPEG(to: source, quality: 82) }
            CairoImageInterop.attachUniqueID(to: source)
        }
        defer { cairo_surface_destroy(source) }
        withState {
            cairo_rectangle(context, target.x, target.y, target.width, target.height)
            cairo_clip(context)
            cairo_translate(context, target.x, target.y)
            cairo_scale(context, target.width / Double(pixelWidth), target.height / Double(pixelHeight))
            cairo_set_source_surface(context, source, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(context), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
            // PAD keeps a bitmap's scaled edges crisp; a PDF needs no padding (the clip is the
            // image's own rectangle), and a padded copy would lose the attached JPEG data.
            let extend = if case .pdf = kind { CAIRO_EXTEND_NONE } else { CAIRO_EXTEND_PAD }
            cairo_pattern_set_extend(cairo_get_source(context), extend)
            cairo_paint(context)
        }
    }

    /// The canvas's pixels (bitmap canvases only), as a test or a later stage reads them.
    public func renderedImage() throws -> RGBImage {
        guard case .image = kind else {
            throw RenderingError.surfaceFailed(width: Int(size.width), height: Int(size.height),
                                               reason: "a PDF canvas has no pixels")
        }
        return try CairoImageInterop.image(from: surface)
    }

    /// Writes the bitmap as an opaque PNG atomically (temporary file in the same folder, fsync, rename), so a
    /// reader never sees half a figure and a failed run leaves the old file in place.
    public func writePNG(to url: URL) throws {
        guard case .image = kind else {
            throw RenderingError.writeFailed(path: url.path, reason: "a PDF canvas cannot be written as PNG")
        }
        try checkStatus(path: url.path)
        // Opaque RGB at zlib level 9 (PNGEncoder), not Cairo's RGBA writer: figures are drawn on
        // white, so the alpha channel would only cost bytes.
        let data: Data
        do { data = try PNGEncoder.encode(try renderedImage()) } catch let error as PNGEncoder.EncodeError {
            throw RenderingError.writeFailed(path: url.path, reason: error.description)
        }
        try writeAtomically(data, to: url)
    }

    /// Through `Support.AtomicFile`, with its error turned into ours (which names the path).
    func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as AtomicFile.WriteError {
            throw RenderingError.writeFailed(path: error.path, reason: error.reason)
        }
    }
}

/// Reads a PNG through Cairo — the check that a written figure decodes, independent of the
/// Imaging decoders.
public enum RenderedPNG {
    public static func read(from url: URL) throws -> RGBImage {
        guard let surface = cairo_image_surface_create_from_png(url.path) else {
            throw RenderingError.readFailed(path: url.path, reason: "out of memory")
        }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError.readFailed(path: url.path, reason: String(cString: cairo_status_to_string(status)))
        }
        return try CairoImageInterop.image(from: surface)
    }
}
