import CCairo
import CPango
import Foundation

/// Display type (`Lettering`): titles and author lines at a size in pixels, condensed or spaced,
/// coloured letter by letter, with a halo, outline or shadow.
///
/// Layouts are made in the current user space with glyph positions not rounded to the device
/// grid, so sizes scale linearly and `fittedLetteringSize` needs one measurement.
extension Canvas {
    /// The size the text takes at `size` pixels, condensing included.
    public func measureLettering(_ text: String, _ lettering: Lettering, size: Double) -> Size {
        FontStack.withLock {
            let layout = letteringLayout(text, lettering, size: size, letterColours: nil)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            return extent(layout, lettering)
        }
    }

    /// The largest size up to `desired` (and at least 4) at which the text fits in
    /// `maxWidth` × `maxHeight`. Unhinted text scales linearly, so one measurement at a reference
    /// size is enough.
    public func fittedLetteringSize(_ text: String, _ lettering: Lettering, desired: Double, maxWidth: Double,
                                    maxHeight: Double) -> Double {
        let reference = 100.0
        let box = measureLettering(text, lettering, size: reference)
        guard box.width > 0, box.height > 0 else { return desired }
        return max(4, min(desired, reference * maxWidth / box.width, reference * maxHeight / box.height))
    }

    /// Draws the text with its top at `y`; `x` is the left edge, centre or right edge according to
    /// the lettering's alignment. `letterColours` colours successive non-space characters in turn;
    /// the effect is drawn at the text colour's alpha. Returns the block's size.
    @discardableResult
    public func drawLettering(_ text: String, _ lettering: Lettering, size: Double, x: Double, y: Double,
                              colour: Colour, effect: LetteringEffect = .none, letterColours: [Colour]? = nil) -> Size {
        FontStack.withLock {
            let layout = letteringLayout(text, lettering, size: size, letterColours: letterColours)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            unknownGlyphsDrawn += Int(pango_layout_get_unknown_glyphs_count(layout))
            let box = extent(layout, lettering)
            let left = switch lettering.align {
            case .leading: x
            case .center: x - box.width / 2
            case .trailing: x - box.width
            }
            withState {
                cairo_translate(context, left, y)
                // The layout keeps the transform it was measured with; only the drawing is
                // squeezed, so glyphs and advances shrink together.
                cairo_scale(context, lettering.condense, 1)
                drawEffect(effect, layout, size: size, alpha: colour.alpha)
                setSource(colour)
                pango_cairo_show_layout(context, layout)
            }
            return box
        }
    }

    private func drawEffect(_ effect: LetteringEffect, _ layout: OpaquePointer, size: Double, alpha: Double) {
        switch effect {
        case .none:
            break
        case .glow(let halo):
            pango_cairo_layout_path(context, layout)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            for (width, a) in [(size * 0.28, 0.07), (size * 0.17, 0.12), (size * 0.08, 0.22)] {
                setSource(halo.withAlpha(a * alpha * halo.alpha))
                cairo_set_line_width(context, width)
                cairo_stroke_preserve(context)
            }
            cairo_new_path(context)
        case .outline(let ring, let width):
            pango_cairo_layout_path(context, layout)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            setSource(ring.withAlpha(alpha * ring.alpha))
            cairo_set_line_width(context, width * 2)
            cairo_stroke(context)
        case .shadow(let shade):
            withState {
                cairo_translate(context, size * 0.04, size * 0.05)
                setSource(shade.withAlpha(0.45 * alpha * shade.alpha))
                pango_cairo_show_layout(context, layout)
            }
        }
    }

    /// Pango's logical size of the layout, the width scaled by the condensing.
    private func extent(_ layout: OpaquePointer, _ lettering: Lettering) -> Size {
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return Size(width: Double(w) / Double(PANGO_SCALE) * lettering.condense, height: Double(h) / Double(PANGO_SCALE))
    }

    /// `PangoLayout *`, owned by the caller.
    private func letteringLayout(_ text: String, _ lettering: Lettering, size: Double,
                                 letterColours: [Colour]?) -> OpaquePointer {
        let layout = pinnedLayout(roundGlyphPositions: false)
        let description = pango_font_description_new()
        pango_font_description_set_family(description, lettering.families(for: text))
        pango_font_description_set_weight(description, PangoWeight(rawValue: UInt32(lettering.weight)))
        pango_font_description_set_style(description, lettering.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        let alignment = switch lettering.align {
        case .leading: PANGO_ALIGN_LEFT
        case .center: PANGO_ALIGN_CENTER
        case .trailing: PANGO_ALIGN_RIGHT
        }
        pango_layout_set_alignment(layout, alignment)
        if lettering.lineSpacing != 1 { pango_layout_set_line_spacing(layout, Float(lettering.lineSpacing)) }
        pango_layout_set_text(layout, text, -1)

        let attributes = pango_attr_list_new()
        if lettering.letterSpacing != 0 {
            pango_attr_list_insert(attributes, pango_attr_letter_spacing_new(Int32(lettering.letterSpacing * size * Double(PANGO_SCALE))))
        }
        for (range, c) in Self.letterRuns(text, letterColours ?? []) {
            let attribute = pango_attr_foreground_new(UInt16(c.red * 65535), UInt16(c.green * 65535), UInt16(c.blue * 65535))!
            attribute.pointee.start_index = UInt32(range.lowerBound)
            attribute.pointee.end_index = UInt32(range.upperBound)
            pango_attr_list_insert(attributes, attribute)
        }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)
        return layout
    }

    /// The UTF-8 byte range of each non-space character of `text` with the colour it takes,
    /// `colours` in turn (none when `colours` is empty).
    static func letterRuns(_ text: String, _ colours: [Colour]) -> [(Range<Int>, Colour)] {
        guard !colours.isEmpty else { return [] }
        var runs: [(Range<Int>, Colour)] = []
        var offset = 0
        for character in text {
            let bytes = character.utf8.count
            if !character.isWhitespace {
                runs.append((offset..<offset + bytes, colours[runs.count % colours.count]))
            }
            offset += bytes
        }
        return runs
    }
}
