import CCairo
import CPango
import Foundation

/// Text through Pango: shaping for every script, font fallback, wrapping and ellipsizing.
///
/// Layouts use 96 dpi and unhinted metrics so a label measures the same at scale 1, scale 2 and in
/// a PDF — the 2× PNG is the 1× figure with twice the pixels, not a different layout.
extension Canvas {
    /// Draws `text` with its `anchor` point at `point`, turned by `rotation` radians about that
    /// point (negative turns counter-clockwise, as for slanted axis labels). Returns the text's
    /// unrotated size.
    @discardableResult
    public func drawText(_ text: String, style: TextStyle, at point: Point, anchor: Anchor = .topLeading,
                         maxWidth: Double? = nil, overflow: TextOverflow = .ellipsizeEnd,
                         rotation: Double = 0) -> Size {
        guard !text.isEmpty else { return Size(width: 0, height: 0) }
        var result = Size(width: 0, height: 0)
        FontStack.withLock { withState {
            cairo_translate(context, point.x, point.y)
            if rotation != 0 { cairo_rotate(context, rotation) }
            let layout = makeLayout(text, style: style, maxWidth: maxWidth, overflow: overflow, anchor: anchor)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            unknownGlyphsDrawn += Int(pango_layout_get_unknown_glyphs_count(layout))
            let box = logicalBox(layout)
            let dx: Double = switch anchor.horizontal {
            case .leading: 0
            case .center: -box.width / 2
            case .trailing: -box.width
            }
            let dy: Double = switch anchor.vertical {
            case .top: 0
            case .middle: -box.height / 2
            case .bottom: -box.height
            }
            setSource(style.colour)
            cairo_move_to(context, dx - box.x, dy - box.y)
            pango_cairo_show_layout(context, layout)
            result = box.size
            if let log { record(text, layout: layout, offset: Point(x: dx - box.x, y: dy - box.y), box: box,
                                style: style, rotation: rotation, into: log) }
        }}
        return result
    }

    /// Logs the layout's ink and logical boxes where they landed on the canvas (through the current
    /// transform), with the width the text would have had unconstrained.
    private func record(_ text: String, layout: OpaquePointer, offset: Point, box: Rect, style: TextStyle,
                        rotation: Double, into log: DrawingLog) {
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        let s = Double(PANGO_SCALE)
        func user(_ r: PangoRectangle) -> Rect {
            Rect(x: offset.x + Double(r.x) / s, y: offset.y + Double(r.y) / s, width: Double(r.width) / s, height: Double(r.height) / s)
        }
        func onCanvas(_ r: PangoRectangle) -> Rect { canvasRect(user(r)) }
        let natural = measure(text, style: style).width
        log.record(DrawingLog.Text(string: text, ink: onCanvas(ink), inkCorners: canvasCorners(user(ink)),
                                   logical: onCanvas(logical), naturalWidth: natural,
                                   drawnWidth: box.width, ellipsized: pango_layout_is_ellipsized(layout) != 0,
                                   rotation: rotation))
    }

    /// The size `text` would take, with the same wrapping and ellipsizing as `drawText`.
    public func measure(_ text: String, style: TextStyle, maxWidth: Double? = nil,
                        overflow: TextOverflow = .ellipsizeEnd) -> Size {
        guard !text.isEmpty else { return Size(width: 0, height: 0) }
        return FontStack.withLock {
            let layout = makeLayout(text, style: style, maxWidth: maxWidth, overflow: overflow, anchor: .topLeading)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            return logicalBox(layout).size
        }
    }

    /// How many characters of `text` have no glyph in `style`'s fonts (drawn as "tofu" boxes).
    /// Zero means a reader sees real letters.
    public func unknownGlyphCount(_ text: String, style: TextStyle) -> Int {
        FontStack.withLock {
            let layout = makeLayout(text, style: style, maxWidth: nil, overflow: .ellipsizeEnd, anchor: .topLeading)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            return Int(pango_layout_get_unknown_glyphs_count(layout))
        }
    }

    /// `PangoLayout *`, owned by the caller.
    private func makeLayout(_ text: String, style: TextStyle, maxWidth: Double?, overflow: TextOverflow,
                            anchor: Anchor) -> OpaquePointer {
        let layout = pinnedLayout()
        let font = pango_font_description_new()
        pango_font_description_set_family(font, style.family)
        let weight: PangoWeight = switch style.weight {
        case .regular: PANGO_WEIGHT_NORMAL
        case .medium: PANGO_WEIGHT_MEDIUM
        case .bold: PANGO_WEIGHT_BOLD
        }
        pango_font_description_set_weight(font, weight)
        pango_font_description_set_size(font, Int32((style.size * Double(PANGO_SCALE)).rounded()))
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)

        let alignment: PangoAlignment = switch anchor.horizontal {
        case .leading: PANGO_ALIGN_LEFT
        case .center: PANGO_ALIGN_CENTER
        case .trailing: PANGO_ALIGN_RIGHT
        }
        pango_layout_set_alignment(layout, alignment)
        if let maxWidth {
            pango_layout_set_width(layout, Int32((max(1, maxWidth) * Double(PANGO_SCALE)).rounded(.down)))
            switch overflow {
            case .ellipsizeEnd:
                pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            case .ellipsizeMiddle:
                pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_MIDDLE)
            case .wrap(let maxLines):
                pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
                pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
                pango_layout_set_height(layout, -Int32(max(1, maxLines)))
            }
        }
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    /// A new `PangoLayout *` (owned by the caller) in the current user space with the font rendering
    /// pinned: 96 dpi, greyscale antialiasing, no hinting, no hinted metrics, so the same fonts give
    /// the same pixels whatever the user's fontconfig settings say. `roundGlyphPositions: false`
    /// keeps glyphs off the device grid, so text measured at one size scales exactly to another.
    func pinnedLayout(roundGlyphPositions: Bool = true) -> OpaquePointer {
        let layout = pango_cairo_create_layout(context)!
        let pangoContext = pango_layout_get_context(layout)
        pango_cairo_context_set_resolution(pangoContext, 96)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(pangoContext, options)
        cairo_font_options_destroy(options)
        if !roundGlyphPositions { pango_context_set_round_glyph_positions(pangoContext, 0) }
        pango_layout_context_changed(layout)
        return layout
    }

    /// The layout's logical (ink-independent) box in user units; `x` is non-zero for centred or
    /// right-aligned text in a fixed width.
    private func logicalBox(_ layout: OpaquePointer) -> Rect {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        let s = Double(PANGO_SCALE)
        return Rect(x: Double(logical.x) / s, y: Double(logical.y) / s,
                    width: Double(logical.width) / s, height: Double(logical.height) / s)
    }
}
