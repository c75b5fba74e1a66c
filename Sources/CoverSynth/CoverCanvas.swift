import CCairo
import CPango
import Foundation
import Imaging

/// A Cairo image surface with the few drawing verbs the cover painters need, and the way back
/// to an `RGBImage`. This file and `CoverText` are the only places that talk to Cairo and Pango.
///
/// Font rendering is pinned (greyscale antialiasing, no hinting, no hinted metrics, 96 dpi) so
/// that the same fonts give the same pixels whatever the user's fontconfig settings say.
final class CoverCanvas {
    let width: Double
    let height: Double
    let cr: OpaquePointer
    let pango: OpaquePointer
    private let surface: OpaquePointer
    /// Characters no installed font could draw, over every text drawn so far.
    var unknownGlyphs = 0

    init(width: Int, height: Int) throws {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw CoverSynthError.drawingFailed("cannot create a \(width)×\(height) Cairo surface")
        }
        guard let cr = cairo_create(surface), cairo_status(cr) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw CoverSynthError.drawingFailed("cannot create a Cairo context")
        }
        guard let pango = pango_cairo_create_context(cr) else {
            cairo_destroy(cr); cairo_surface_destroy(surface)
            throw CoverSynthError.drawingFailed("cannot create a Pango context")
        }
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        pango_cairo_context_set_font_options(pango, options)
        cairo_font_options_destroy(options)
        pango_cairo_context_set_resolution(pango, 96)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT)
        self.surface = surface
        self.cr = cr
        self.pango = pango
        self.width = Double(width)
        self.height = Double(height)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(pango))
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    // MARK: Paint

    func setColour(_ c: Colour, alpha: Double = 1) {
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha)
    }

    /// Fills the current path with `colour` and clears it.
    func fill(_ colour: Colour, alpha: Double = 1) {
        setColour(colour, alpha: alpha)
        cairo_fill(cr)
    }

    /// Strokes the current path and clears it.
    func stroke(_ colour: Colour, width lineWidth: Double, alpha: Double = 1) {
        setColour(colour, alpha: alpha)
        cairo_set_line_width(cr, lineWidth)
        cairo_stroke(cr)
    }

    // Path building, for the figures' curves.
    func move(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
    func lineTo(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
    func curve(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ x: Double, _ y: Double) {
        cairo_curve_to(cr, x1, y1, x2, y2, x, y)
    }
    func closePath() { cairo_close_path(cr) }
    func rectPath(_ x: Double, _ y: Double, _ w: Double, _ h: Double) { cairo_rectangle(cr, x, y, w, h) }
    func arcPath(_ cx: Double, _ cy: Double, _ radius: Double, from a0: Double = 0, to a1: Double = 2 * .pi) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, cx, cy, max(radius, 0.1), a0, a1)
    }

    func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ colour: Colour, alpha: Double = 1) {
        cairo_rectangle(cr, x, y, w, h)
        fill(colour, alpha: alpha)
    }

    func circle(_ cx: Double, _ cy: Double, _ radius: Double, _ colour: Colour, alpha: Double = 1) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, cx, cy, max(radius, 0.1), 0, 2 * .pi)
        fill(colour, alpha: alpha)
    }

    /// An ellipse with radii `rx`, `ry`, turned by `angle` radians.
    func ellipse(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, angle: Double = 0,
                 _ colour: Colour, alpha: Double = 1) {
        cairo_save(cr)
        cairo_translate(cr, cx, cy)
        cairo_rotate(cr, angle)
        cairo_scale(cr, max(rx, 0.1), max(ry, 0.1))
        cairo_new_sub_path(cr)
        cairo_arc(cr, 0, 0, 1, 0, 2 * .pi)
        cairo_restore(cr)
        fill(colour, alpha: alpha)
    }

    func polygon(_ points: [(Double, Double)], _ colour: Colour, alpha: Double = 1) {
        guard let first = points.first else { return }
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_close_path(cr)
        fill(colour, alpha: alpha)
    }

    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ colour: Colour,
              width lineWidth: Double, alpha: Double = 1) {
        cairo_move_to(cr, x0, y0)
        cairo_line_to(cr, x1, y1)
        stroke(colour, width: lineWidth, alpha: alpha)
    }

    /// A straight gradient over the rectangle, `stops` as (offset 0…1, colour).
    func linearGradient(_ x: Double, _ y: Double, _ w: Double, _ h: Double,
                        from start: (Double, Double), to end: (Double, Double), stops: [(Double, Colour)]) {
        let pattern = cairo_pattern_create_linear(start.0, start.1, end.0, end.1)
        for (offset, c) in stops { cairo_pattern_add_color_stop_rgb(pattern, offset, c.r, c.g, c.b) }
        cairo_rectangle(cr, x, y, w, h)
        cairo_set_source(cr, pattern)
        cairo_fill(cr)
        cairo_pattern_destroy(pattern)
    }

    /// A soft disc: `colour` at `alpha` in the centre fading to transparent at `radius` — the
    /// glow around planets, lamps and bokeh.
    func glow(_ cx: Double, _ cy: Double, _ radius: Double, _ colour: Colour, alpha: Double) {
        let pattern = cairo_pattern_create_radial(cx, cy, 0, cx, cy, max(radius, 0.1))
        cairo_pattern_add_color_stop_rgba(pattern, 0, colour.r, colour.g, colour.b, alpha)
        cairo_pattern_add_color_stop_rgba(pattern, 0.45, colour.r, colour.g, colour.b, alpha * 0.45)
        cairo_pattern_add_color_stop_rgba(pattern, 1, colour.r, colour.g, colour.b, 0)
        cairo_new_sub_path(cr)
        cairo_arc(cr, cx, cy, max(radius, 0.1), 0, 2 * .pi)
        cairo_set_source(cr, pattern)
        cairo_fill(cr)
        cairo_pattern_destroy(pattern)
    }

    // MARK: Out

    /// The surface's pixels as RGB (Cairo's RGB24 keeps each pixel in a native-endian
    /// 32-bit word `0x00RRGGBB`, rows `stride` bytes apart).
    func image() -> RGBImage {
        cairo_surface_flush(surface)
        let w = Int(width), h = Int(height)
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        guard let data = cairo_image_surface_get_data(surface) else {
            return RGBImage(width: w, height: h, pixels: pixels)
        }
        let raw = UnsafeRawPointer(data)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                for x in 0..<w {
                    let word = raw.load(fromByteOffset: y * stride + x * 4, as: UInt32.self)
                    let o = (y * w + x) * 3
                    out[o] = UInt8((word >> 16) & 0xFF)
                    out[o + 1] = UInt8((word >> 8) & 0xFF)
                    out[o + 2] = UInt8(word & 0xFF)
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }
}
