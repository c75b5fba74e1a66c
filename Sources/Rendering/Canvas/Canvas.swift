import CCairo
import Foundation

/// A drawing surface in logical units over a Cairo context.
///
/// Figures draw in logical units (1 unit = 1 pixel at scale 1); a bitmap canvas at scale 2 has
/// twice the pixels and the same layout, and a PDF canvas turns the same calls into vectors (1 unit
/// = 1 pt). Owning the Cairo objects in a class ties their lifetime to Swift's.
public final class Canvas {
    public enum Kind: Equatable, Sendable {
        case image(scale: Double)
        case pdf
    }

    public let size: Size
    public let kind: Kind
    /// `cairo_surface_t *`
    let surface: OpaquePointer
    /// `cairo_t *`
    let context: OpaquePointer
    /// Where a PDF canvas's bytes accumulate until `pdfData()`.
    private let pdfSink: ByteSink?
    /// Characters drawn so far (by `drawText` and `drawLettering`) that no installed font had a
    /// glyph for, so they show as boxes: 0 means a reader sees real letters.
    public internal(set) var unknownGlyphsDrawn = 0
    /// Records what is drawn (text boxes, plot frames) when set; layout checks read it.
    public var log: DrawingLog?

    /// A bitmap canvas of `size` logical units at `scale` device pixels per unit, cleared to white.
    public convenience init(size: Size, scale: Double = 1) throws {
        let w = Int((size.width * scale).rounded(.up)), h = Int((size.height * scale).rounded(.up))
        guard scale > 0, w > 0, h > 0, w <= 32_767, h <= 32_767 else {
            throw RenderingError.surfaceFailed(width: w, height: h, reason: "size must be 1…32767 pixels per side")
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h)) else {
            throw RenderingError.surfaceFailed(width: w, height: h, reason: "out of memory")
        }
        try self.init(surface: surface, size: size, kind: .image(scale: scale), width: w, height: h)
        cairo_scale(context, scale, scale)
        fill(Rect(origin: Point(x: 0, y: 0), size: size), Theme.background)
    }

    /// A one-page (or, with `nextPage`, many-page) PDF in memory, `size` in points; `writePDF(to:)`
    /// completes it. PDF figures are vector, so they stay sharp at any zoom.
    public convenience init(pdfSize size: Size) throws {
        let sink = ByteSink()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, sink.closure, size.width, size.height)
        else {
            throw RenderingError.surfaceFailed(width: Int(size.width), height: Int(size.height), reason: "cairo could not create a PDF")
        }
        try self.init(surface: surface, size: size, kind: .pdf, width: Int(size.width), height: Int(size.height),
                      pdfSink: sink)
    }

    private init(surface: OpaquePointer, size: Size, kind: Kind, width: Int, height: Int,
                 pdfSink: ByteSink? = nil) throws {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderingError.surfaceFailed(width: width, height: height,
                                               reason: String(cString: cairo_status_to_string(status)))
        }
        self.surface = surface
        self.context = context
        self.size = size
        self.kind = kind
        self.pdfSink = pdfSink
    }

    deinit {
        // Destroying the context releases its scaled fonts, and with them FreeType faces.
        FontStack.withLock {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
        }
    }

    /// Device pixels per logical unit (1 for PDF).
    public var scale: Double {
        if case .image(let s) = kind { return s }
        return 1
    }

    /// Cairo's sticky error, if any drawing call failed.
    func checkStatus(path: String) throws {
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError.writeFailed(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
    }

    // MARK: State

    /// Runs `body` with the current transform, clip and source saved and restored around it.
    public func withState(_ body: () throws -> Void) rethrows {
        cairo_save(context)
        defer { cairo_restore(context) }
        try body()
    }

    public func translate(by offset: Point) { cairo_translate(context, offset.x, offset.y) }
    public func scale(by factor: Double) { cairo_scale(context, factor, factor) }
    public func rotate(by radians: Double) { cairo_rotate(context, radians) }

    public func clip(to rect: Rect) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    // MARK: Pages (PDF)

    /// Ends the current PDF page and starts a new one of `size` points (or the same size).
    public func nextPage(size: Size? = nil) {
        cairo_show_page(context)
        if let size, case .pdf = kind { cairo_pdf_surface_set_size(surface, size.width, size.height) }
    }

    /// Completes the PDF and writes it atomically to `url`; the canvas cannot draw afterwards.
    public func writePDF(to url: URL) throws {
        guard case .pdf = kind, let pdfSink else {
            throw RenderingError.writeFailed(path: url.path, reason: "a bitmap canvas cannot be written as PDF")
        }
        FontStack.withLock { cairo_surface_finish(surface) }   // embeds the fonts through FreeType
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError.writeFailed(path: url.path, reason: String(cString: cairo_status_to_string(status)))
        }
        try writeAtomically(pdfSink.data, to: url)
    }
}
