import Foundation
import Imaging
@testable import Rendering

/// Checks a figure's layout from what was really drawn: the text boxes Pango measured as it drew
/// them (through `DrawingLog`), the plot frames the axes drew, and the rendered pixels — never the
/// figure's own layout arithmetic, which is what a layout bug gets wrong.
///
/// Invariants: the figure stays within `maxSize`; every plot keeps at least half the figure's
/// height and its axis line is really there in the pixels; no text reaches outside the canvas;
/// no two texts overlap (tick labels included); no text is ellipsized to a stub; no Hangul is
/// turned sideways (a quarter turn; 45° file names are fine); nothing but background touches the canvas's edge.
enum LayoutCheck {
    static let maxSize = Size(width: 1200, height: 900)

    static func problems(_ figure: any Figure) throws -> [String] {
        let size = figure.size
        var problems: [String] = []
        if size.width > maxSize.width || size.height > maxSize.height {
            problems.append("size \(Int(size.width))×\(Int(size.height)) is over the \(Int(maxSize.width))×\(Int(maxSize.height)) cap")
        }
        let canvas = try Canvas(size: size)
        let log = DrawingLog()
        canvas.log = log
        figure.render(in: canvas)
        let image = try canvas.renderedImage()
        let texts = log.texts.filter { $0.ink.width > 0.5 && $0.ink.height > 0.5 }

        for plot in log.plots {
            if plot.height < 0.5 * size.height {
                problems.append("plot is \(Int(plot.height)) of the figure's \(Int(size.height)) units tall (under half)")
            }
            let drawn = axisPixels(image, x: Int(plot.minX.rounded(.down)), y: plot.minY..<plot.maxY)
            if drawn < 0.9 { problems.append("left axis line of the plot at x \(Int(plot.minX)) is not drawn (\(Int(drawn * 100)) %)") }
        }
        let bounds = Rect(x: -0.5, y: -0.5, width: size.width + 1, height: size.height + 1)
        for t in texts where !bounds.contains(t.ink) {
            problems.append("'\(t.string)' reaches outside the canvas: ink \(describe(t.ink)) in \(Int(size.width))×\(Int(size.height))")
        }
        for i in texts.indices {
            for j in texts.indices where j > i {
                let overlap = texts[i].ink.intersection(texts[j].ink)
                if overlap.width > 0.75 && overlap.height > 0.75
                    && quadsOverlap(texts[i].inkCorners, texts[j].inkCorners, by: 0.75) {
                    problems.append("'\(texts[i].string)' \(describe(texts[i].ink)) overlaps '\(texts[j].string)' \(describe(texts[j].ink))")
                }
            }
        }
        for t in texts where t.ellipsized && t.drawnWidth < min(t.naturalWidth, 40) {
            problems.append("'\(t.string)' is squeezed to \(Int(t.drawnWidth)) of its \(Int(t.naturalWidth)) units")
        }
        for t in texts where abs(t.rotation) >= Double.pi / 3 && t.string.unicodeScalars.contains(where: isHangul) {
            problems.append("'\(t.string)' is Hangul turned sideways")
        }
        if let edge = edgeInk(image) { problems.append("something is drawn on the canvas's edge at \(edge)") }
        if SampleCovers.inkCount(image, x: 0..<image.width, y: 0..<image.height) < 100 { problems.append("the figure is blank") }
        return problems
    }

    /// Whether two convex quadrilaterals overlap by more than `depth` along every separating axis
    /// (their edges' normals): rotated labels are compared as drawn, not by their upright boxes.
    static func quadsOverlap(_ a: [Point], _ b: [Point], by depth: Double) -> Bool {
        for quad in [a, b] {
            for k in 0..<quad.count {
                let p = quad[k], q = quad[(k + 1) % quad.count]
                let length = ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot()
                guard length > 1e-9 else { continue }
                let nx = -(q.y - p.y) / length, ny = (q.x - p.x) / length
                let pa = a.map { $0.x * nx + $0.y * ny }, pb = b.map { $0.x * nx + $0.y * ny }
                if min(pa.max()!, pb.max()!) - max(pa.min()!, pb.min()!) <= depth { return false }
            }
        }
        return true
    }

    private static func describe(_ r: Rect) -> String {
        String(format: "(%.0f,%.0f %.0f×%.0f)", r.x, r.y, r.width, r.height)
    }

    private static func isHangul(_ s: Unicode.Scalar) -> Bool {
        (0xAC00...0xD7A3).contains(s.value) || (0x1100...0x11FF).contains(s.value) || (0x3130...0x318F).contains(s.value)
    }

    /// Share of the rows in `y` where the pixel column `x` (or its neighbour) is not background.
    private static func axisPixels(_ image: RGBImage, x: Int, y: Range<Double>) -> Double {
        let rows = Int(y.lowerBound.rounded(.up))..<Int(y.upperBound.rounded(.down))
        guard !rows.isEmpty else { return 0 }
        let inked = rows.filter { yy in
            (x - 1...x + 1).contains { xx in
                guard xx >= 0, xx < image.width, yy >= 0, yy < image.height else { return false }
                let p = image[xx, yy]
                return Int(p.r) + Int(p.g) + Int(p.b) < 700
            }
        }
        return Double(inked.count) / Double(rows.count)
    }

    /// The first pixel on the outermost row or column that is not the white background.
    private static func edgeInk(_ image: RGBImage) -> String? {
        let w = image.width, h = image.height
        let edge = (0..<w).flatMap { [($0, 0), ($0, h - 1)] } + (0..<h).flatMap { [(0, $0), (w - 1, $0)] }
        for (x, y) in edge {
            let p = image[x, y]
            if Int(p.r) + Int(p.g) + Int(p.b) < 740 { return "(\(x), \(y))" }
        }
        return nil
    }
}

extension Rect {
    func contains(_ other: Rect) -> Bool {
        other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY
    }

    func intersection(_ other: Rect) -> Rect {
        let x0 = max(minX, other.minX), y0 = max(minY, other.minY)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return Rect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}
