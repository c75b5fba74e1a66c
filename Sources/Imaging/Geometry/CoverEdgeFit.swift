import Foundation

/// Moves a photographed cover's rough corners onto its edges, at the photo's full resolution.
///
/// Why: `CoverRectifier` finds the cover on a copy at most 120 pixels wide, so its corners are off
/// by up to a working pixel (a quarter of a descriptor cell on a 400-pixel cover), and the
/// straightened cover's bands then disagree with the file's where the cover has fine detail
/// (measured on 120 generated photos of seed 202: median similarity to the original 0.915 from
/// such corners, 0.975 from the true ones and from the refined ones).
/// Each side of the rough quadrilateral is sampled at `samplesPerSide` points; at each, the
/// difference from the background plane is read along the side's normal, and the edge is where it
/// crosses halfway between the background's level outside and the cover's inside (a blurred edge
/// is symmetric about that point). A straight line is fitted to each side's crossings, twice (the
/// second time without points more than a pixel and a half off the first line: a glare or a cover
/// the colour of the table there), and the corners are where neighbouring lines meet.
enum CoverEdgeFit {
    static let samplesPerSide = 24
    /// Least difference between the cover's level and the background's for a crossing to count.
    static let minimumContrast = 12.0

    /// - Parameters:
    ///   - corners: rough corners in full-resolution pixel coordinates (top left, top right, bottom
    ///     right, bottom left), pixel centres at +0.5.
    ///   - background: fitted on the working copy; `scale` is working pixels per full pixel.
    ///   - reach: how far to search on either side of a rough side, in full pixels.
    /// - Returns: refined corners, or nil when a side has too few clear crossings (the caller keeps
    ///   the rough ones) or the refined corners moved further than `reach` allows.
    static func refine(_ corners: [(x: Double, y: Double)], in image: RGBImage, background: BackgroundPlane,
                       scale: Double, reach: Double) -> [(x: Double, y: Double)]? {
        precondition(corners.count == 4)
        var lines: [FittedLine] = []
        for side in 0..<4 {
            let a = corners[side], b = corners[(side + 1) % 4]
            let length = hypot(b.x - a.x, b.y - a.y)
            guard length > 4 * reach else { return nil }
            // Outward normal: the corners go clockwise on screen (image y points down), so the
            // outside is on the left of each side as drawn, (ty, −tx).
            let (tx, ty) = ((b.x - a.x) / length, (b.y - a.y) / length)
            let (nx, ny) = (ty, -tx)
            var points: [(x: Double, y: Double)] = []
            for k in 0..<samplesPerSide {
                let t = 0.1 + 0.8 * (Double(k) + 0.5) / Double(samplesPerSide)
                let (px, py) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
                if let offset = crossing(image, background: background, scale: scale, x: px, y: py, nx: nx, ny: ny, reach: reach) {
                    points.append((px + nx * offset, py + ny * offset))
                }
            }
            guard points.count >= samplesPerSide / 3, var line = FittedLine(fitting: points) else { return nil }
            let kept = points.filter { abs(line.distance($0)) <= 1.5 }
            guard kept.count >= samplesPerSide / 3, let refit = FittedLine(fitting: kept) else { return nil }
            line = refit
            lines.append(line)
        }
        var refined: [(x: Double, y: Double)] = []
        for corner in 0..<4 {
            // Corner i is where side i − 1 (ending at it) meets side i (starting at it).
            guard let p = lines[(corner + 3) % 4].intersection(lines[corner]),
                  hypot(p.x - corners[corner].x, p.y - corners[corner].y) <= 2 * reach else { return nil }
            refined.append(p)
        }
        return refined
    }

    /// The offset along the outward normal (full pixels, within ±reach) where the difference from
    /// the background crosses halfway between its level outside and inside; nil when the two levels
    /// are too close to tell.
    static func crossing(_ image: RGBImage, background: BackgroundPlane, scale: Double,
                         x: Double, y: Double, nx: Double, ny: Double, reach: Double) -> Double? {
        let steps = 16
        let offsets = (0...2 * steps).map { -reach + reach * Double($0) / Double(steps) }
        let profile = offsets.map { d in difference(image, background: background, scale: scale, x: x + nx * d, y: y + ny * d) }
        let inside = profile.prefix(3).reduce(0, +) / 3, outside = profile.suffix(3).reduce(0, +) / 3
        guard inside - outside >= minimumContrast else { return nil }
        let half = (inside + outside) / 2
        // The outermost crossing from inside (above half) to outside (below).
        for i in stride(from: profile.count - 1, to: 0, by: -1) where profile[i - 1] >= half && profile[i] < half {
            let f = (profile[i - 1] - half) / (profile[i - 1] - profile[i])
            return offsets[i - 1] + f * (offsets[i] - offsets[i - 1])
        }
        return nil
    }

    /// The largest channel difference between the bilinear colour at (x, y) (full pixels, centres
    /// at +0.5) and the background plane there.
    static func difference(_ image: RGBImage, background: BackgroundPlane, scale: Double, x: Double, y: Double) -> Double {
        let (sx, sy) = (x - 0.5, y - 0.5)
        let x0 = min(max(Int(sx.rounded(.down)), 0), image.width - 1), y0 = min(max(Int(sy.rounded(.down)), 0), image.height - 1)
        let x1 = min(x0 + 1, image.width - 1), y1 = min(y0 + 1, image.height - 1)
        let fx = min(max(sx - Double(x0), 0), 1), fy = min(max(sy - Double(y0), 0), 1)
        // The plane's coordinates are working-pixel indices (centres at index + 0.5).
        let (wx, wy) = (x * scale - 0.5, y * scale - 0.5)
        var worst = 0.0
        for c in 0..<3 {
            func at(_ x: Int, _ y: Int) -> Double { Double(image.pixels[(y * image.width + x) * 3 + c]) }
            let value = (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
            let plane = background.coefficients[c]
            worst = max(worst, abs(value - (plane[0] + plane[1] * wx + plane[2] * wy)))
        }
        return worst
    }
}
