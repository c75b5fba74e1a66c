import CCairo
import CPango
import Foundation

/// How a block of cover text looks. Latin text asks for `latinFamily` first and falls back to
/// the Korean family (and the other way round for Hangul), so a mixed title never shows boxes.
struct TextStyle {
    enum Align { case left, center, right }

    var latinFamily: String
    var koreanFamily: String
    /// CSS-like weight: 400 regular, 500 medium, 600 demi, 700 bold, 900 black.
    var weight: Int = 400
    var italic = false
    /// Extra space between letters, as a fraction of the font size.
    var letterSpacing = 0.0
    /// Horizontal scale: < 1 squeezes the letters, the poster "condensed" look.
    var condense = 1.0
    var align: Align = .center
    /// Line height as a multiple of the font's.
    var lineSpacing = 1.0
}

/// What to draw around the letters, for legibility or mood.
enum TextEffect {
    case none
    /// A soft halo (science fiction's neon).
    case glow(Colour)
    /// A solid outline of the given width (children's sticker letters).
    case outline(Colour, Double)
    /// A soft drop shadow.
    case shadow(Colour)
}

extension String {
    /// True if any character is a Hangul syllable or jamo.
    var containsHangul: Bool {
        unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) || (0x1100...0x11FF).contains($0.value)
            || (0x3130...0x318F).contains($0.value) }
    }
}

extension CoverCanvas {
    /// The size (width, height) the text takes at `size` pixels, condensing included.
    func measure(_ text: String, _ style: TextStyle, size: Double) -> (w: Double, h: Double) {
        let layout = makeLayout(text, style, size: size, colours: nil)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        return extent(layout, style)
    }

    /// The largest size up to `desired` at which the text fits in `maxWidth` × `maxHeight`.
    /// Unhinted text scales linearly, so one measurement at a reference size is enough.
    func fittedSize(_ text: String, _ style: TextStyle, desired: Double, maxWidth: Double, maxHeight: Double) -> Double {
        let reference = 100.0
        let (w, h) = measure(text, style, size: reference)
        guard w > 0, h > 0 else { return desired }
        return max(4, min(desired, reference * maxWidth / w, reference * maxHeight / h))
    }

    /// Draws the text with its top at `y`; `x` is the left edge, centre or right edge according
    /// to the style's alignment. `letterColours` colours successive characters in turn.
    /// Returns the block's size.
    @discardableResult
    func draw(_ text: String, _ style: TextStyle, size: Double, x: Double, y: Double, colour: Colour,
              alpha: Double = 1, effect: TextEffect = .none, letterColours: [Colour]? = nil) -> (w: Double, h: Double) {
        let layout = makeLayout(text, style, size: size, colours: letterColours)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        unknownGlyphs += Int(pango_layout_get_unknown_glyphs_count(layout))
        let (w, h) = extent(layout, style)
        let left = switch style.align {
        case .left: x
        case .center: x - w / 2
        case .right: x - w
        }
        cairo_save(cr)
        cairo_translate(cr, left, y)
        // The layout keeps the identity matrix it was measured with; only the drawing is
        // squeezed, so glyphs and advances shrink together.
        cairo_scale(cr, style.condense, 1)
        switch effect {
        case .none:
            break
        case .glow(let halo):
            pango_cairo_layout_path(cr, layout)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            for (width, a) in [(size * 0.28, 0.07), (size * 0.17, 0.12), (size * 0.08, 0.22)] {
                setColour(halo, alpha: a * alpha)
                cairo_set_line_width(cr, width)
                cairo_stroke_preserve(cr)
            }
            cairo_new_path(cr)
        case .outline(let ring, let width):
            pango_cairo_layout_path(cr, layout)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            setColour(ring, alpha: alpha)
            cairo_set_line_width(cr, width * 2)
            cairo_stroke(cr)
        case .shadow(let shade):
            cairo_save(cr)
            cairo_translate(cr, size * 0.04, size * 0.05)
            setColour(shade, alpha: 0.45 * alpha)
            pango_cairo_show_layout(cr, layout)
            cairo_restore(cr)
        }
        setColour(colour, alpha: alpha)
        pango_cairo_show_layout(cr, layout)
        cairo_restore(cr)
        return (w, h)
    }

    private func extent(_ layout: OpaquePointer, _ style: TextStyle) -> (w: Double, h: Double) {
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return (Double(w) / Double(PANGO_SCALE) * style.condense, Double(h) / Double(PANGO_SCALE))
    }

    private func makeLayout(_ text: String, _ style: TextStyle, size: Double, colours: [Colour]?) -> OpaquePointer {
        // Measure and draw in the same (identity) space, with positions not rounded to the
        // device grid, so sizes scale linearly and fitting is exact.
        cairo_identity_matrix(cr)
        pango_cairo_update_context(cr, pango)
        pango_context_set_round_glyph_positions(pango, 0)
        let layout = pango_layout_new(pango)!
        let description = pango_font_description_new()
        let families = text.containsHangul ? "\(style.koreanFamily),\(style.latinFamily)"
                                           : "\(style.latinFamily),\(style.koreanFamily)"
        pango_font_description_set_family(description, families)
        pango_font_description_set_weight(description, PangoWeight(rawValue: UInt32(style.weight)))
        pango_font_description_set_style(description, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        let alignment = switch style.align {
        case .left: PANGO_ALIGN_LEFT
        case .center: PANGO_ALIGN_CENTER
        case .right: PANGO_ALIGN_RIGHT
        }
        pango_layout_set_alignment(layout, alignment)
        if style.lineSpacing != 1 { pango_layout_set_line_spacing(layout, Float(style.lineSpacing)) }
        pango_layout_set_text(layout, text, -1)

        let attributes = pango_attr_list_new()
        if style.letterSpacing != 0 {
            pango_attr_list_insert(attributes, pango_attr_letter_spacing_new(Int32(style.letterSpacing * size * Double(PANGO_SCALE))))
        }
        if let colours, !colours.isEmpty {
            var offset = 0, index = 0
            for character in text {
                let bytes = character.utf8.count
                if !character.isWhitespace {
                    let c = colours[index % colours.count]
                    let attribute = pango_attr_foreground_new(UInt16(c.r * 65535), UInt16(c.g * 65535), UInt16(c.b * 65535))!
                    attribute.pointee.start_index = UInt32(offset)
                    attribute.pointee.end_index = UInt32(offset + bytes)
                    pango_attr_list_insert(attributes, attribute)
                    index += 1
                }
                offset += bytes
            }
        }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)
        return layout
    }
}
