/// Finds a cover photographed lying on a plainer background (a table, a desk) and says where its
/// four corners are, so the copy detector can look at the cover straight on instead of at the photo.
///
/// Why this way: a phone photo of a printed cover differs from the file by a perspective, a margin
/// of background, glare and blur. Descriptors of the whole photo see mostly the slant and the
/// table; once the cover is cut out and warped back to a rectangle, only glare and blur remain,
/// which a coarse luminance descriptor tolerates. The background is learned from the photo's own
/// border (a plane per colour channel, fitted robustly, so light falling off across the table is
/// background too); the cover is the largest connected region that differs from it, once gaps up to
/// four cells wide are closed (a line across the cover the colour of the table would cut it in two);
/// its corners are where the straight sides of the region's convex hull meet (`HullQuadrilateral`:
/// a corner the colour of the table is cut off the region, not off the sides), or, when a side has
/// no edge along it, the region's extreme points along the two diagonals (x + y, x − y); then they
/// are moved onto the cover's sides at full resolution (`CoverEdgeFit`).
///
/// An image that is not such a photo (a cover file, whose border is the cover itself) usually has
/// no region that fills a convex quadrilateral of at least `minimumArea` of the frame and is
/// refused (`nil`); when one is found anyway the copy detector's calibration sees the same thing
/// happen among the popular covers and sets its thresholds accordingly.
public enum CoverRectifier {
    /// The analysis runs on a copy at most this many pixels wide (the corners are scaled back).
    static let workingWidth = 120
    /// The border ring the background is learned from, as a share of the working width.
    static let ringShare = 0.03
    /// Least share of the ring that must fit the background plane (else: no plain background).
    static let minimumBackgroundShare = 0.6
    /// The cover must cover this share of the frame …
    static let minimumArea = 0.3
    /// … and fill this share of the quadrilateral through its corners.
    static let minimumFill = 0.85

    /// The cover's corners in `image`'s pixel coordinates (pixel centres at +0.5): top left, top
    /// right, bottom right, bottom left; nil when no cover on a plain background is found.
    public static func corners(in image: RGBImage) -> [(x: Double, y: Double)]? {
        guard image.width >= 16, image.height >= 16 else { return nil }
        let scale = min(1, Double(workingWidth) / Double(image.width))
        let w = max(16, Int((Double(image.width) * scale).rounded())), h = max(16, Int((Double(image.height) * scale).rounded()))
        let small = resampleArea(image, x0: 0, y0: 0, x1: Double(image.width), y1: Double(image.height), width: w, height: h)
        guard let background = BackgroundPlane(fittingBorderOf: small, ring: max(2, Int(Double(w) * ringShare))) else { return nil }

        // [h, w]: differs from the background by more than its noise allows.
        var mask = [Bool](repeating: false, count: w * h)
        for y in 0..<h {
            for x in 0..<w where background.residual(small, x, y) > background.tolerance {
                mask[y * w + x] = true
            }
        }
        let region = largestRegion(closed(mask, width: w, height: h, radius: closingRadius), width: w, height: h)
        guard Double(region.count) >= minimumArea * Double(w * h) else { return nil }

        var tl = region[0], tr = region[0], br = region[0], bl = region[0]
        for p in region {
            if p.x + p.y < tl.x + tl.y { tl = p }
            if p.x + p.y > br.x + br.y { br = p }
            if p.x - p.y > tr.x - tr.y { tr = p }
            if p.x - p.y < bl.x - bl.y { bl = p }
        }
        // Pixel centres, pushed half a pixel outwards to the region's outer edge.
        let extremes = [(Double(tl.x), Double(tl.y)), (Double(tr.x + 1), Double(tr.y)),
                        (Double(br.x + 1), Double(br.y + 1)), (Double(bl.x), Double(bl.y + 1))]
        let quad = HullQuadrilateral.corners(of: region) ?? extremes
        let area = polygonArea(quad)
        guard isConvex(quad), area > 0, Double(region.count) >= minimumFill * area else { return nil }
        let rough = quad.map { (x: $0.0 / Double(w) * Double(image.width), y: $0.1 / Double(h) * Double(image.height)) }
        // The rough corners are off by up to a working pixel; the sides, found at full resolution, are not.
        if let refined = CoverEdgeFit.refine(rough, in: image, background: background, scale: Double(w) / Double(image.width),
                                             reach: 2.5 * Double(image.width) / Double(w)) {
            return refined
        }
        return rough
    }

    /// Luminance (ITU-R 601) of the quadrilateral `corners` (top left, top right, bottom right,
    /// bottom left) warped to a `width × height` grid: each cell the mean of `samples × samples`
    /// bilinear samples, so a cell that spans many source pixels is averaged, not aliased.
    public static func luminance(of image: RGBImage, corners: [(x: Double, y: Double)], width: Int, height: Int,
                                 samples: Int = 4) -> [Float] {
        let toImage = Homography(from: [(0, 0), (Double(width), 0), (Double(width), Double(height)), (0, Double(height))],
                                 to: corners)
        var out = [Float](repeating: 0, count: width * height)
        let step = 1 / Double(samples)
        for v in 0..<height {
            for u in 0..<width {
                var sum = 0.0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let (x, y) = toImage.map(Double(u) + (Double(sx) + 0.5) * step, Double(v) + (Double(sy) + 0.5) * step)
                        sum += lumaSample(image, x - 0.5, y - 0.5)
                    }
                }
                out[v * width + u] = Float(sum / Double(samples * samples))
            }
        }
        return out
    }

    /// Luminance of the rectangle `x0..<x1`, `y0..<y1` (source pixels, fractional) averaged onto a
    /// `width × height` grid with exact coverage (`resampleArea`).
    public static func luminance(of image: RGBImage, x0: Double, y0: Double, x1: Double, y1: Double,
                                 width: Int, height: Int) -> [Float] {
        let small = resampleArea(image, x0: x0, y0: y0, x1: x1, y1: y1, width: width, height: height)
        return (0..<width * height).map { i in
            0.299 * Float(small.pixels[3 * i]) + 0.587 * Float(small.pixels[3 * i + 1]) + 0.114 * Float(small.pixels[3 * i + 2])
        }
    }

    /// Bilinear luminance at pixel-centre coordinates, clamped at the edges.
    static func lumaSample(_ image: RGBImage, _ x: Double, _ y: Double) -> Double {
        let x0 = min(max(Int(x.rounded(.down)), 0), image.width - 1), y0 = min(max(Int(y.rounded(.down)), 0), image.height - 1)
        let x1 = min(x0 + 1, image.width - 1), y1 = min(y0 + 1, image.height - 1)
        let fx = min(max(x - Double(x0), 0), 1), fy = min(max(y - Double(y0), 0), 1)
        func at(_ x: Int, _ y: Int) -> Double {
            let p = (y * image.width + x) * 3
            return 0.299 * Double(image.pixels[p]) + 0.587 * Double(image.pixels[p + 1]) + 0.114 * Double(image.pixels[p + 2])
        }
        return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
    }

    /// A line of cells across the cover that happens to match the table (a horizon the colour of the
    /// wood) would cut the region in two: gaps up to twice this many cells wide are closed first. On
    /// the edited-copy benchmark's 800 photos of seed 202 the hull's sides and the closing took the
    /// photos whose original is not ranked first from 10 to 7 and to 6 (README, "Near-duplicates").
    static let closingRadius = 2

    /// Morphological closing with a square of side 2 · radius + 1: dilation, then erosion, each a
    /// pass along rows and one along columns (a square is the product of two segments). Cells
    /// outside the frame count as false for the dilation and true for the erosion, so closing
    /// neither grows nor shrinks a region where it meets the frame's edge.
    static func closed(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        let dilated = windowPass(windowPass(mask, width: width, height: height, radius: radius, alongRows: true, dilate: true),
                                 width: width, height: height, radius: radius, alongRows: false, dilate: true)
        return windowPass(windowPass(dilated, width: width, height: height, radius: radius, alongRows: true, dilate: false),
                          width: width, height: height, radius: radius, alongRows: false, dilate: false)
    }

    /// One pass of `closed` along rows or columns: with `dilate` a cell becomes true when any cell
    /// within `radius` along the axis is; else it stays true only when all are (cells outside the
    /// frame count as false, resp. true). The true cells of each window are counted as it slides,
    /// so the cost does not grow with the radius.
    private static func windowPass(_ input: [Bool], width: Int, height: Int, radius: Int,
                                   alongRows: Bool, dilate: Bool) -> [Bool] {
        var out = [Bool](repeating: false, count: input.count)
        let (lines, length) = alongRows ? (height, width) : (width, height)
        let step = alongRows ? 1 : width
        input.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { out in
                for line in 0 ..< lines {
                    let first = alongRows ? line * width : line
                    // True cells among the line's indices max(0, i − radius) … min(length − 1, i + radius).
                    var trues = 0
                    for j in 0 ..< min(radius, length) where input[first + j * step] { trues += 1 }
                    for i in 0 ..< length {
                        let entering = i + radius, leaving = i - radius - 1
                        if entering < length, input[first + entering * step] { trues += 1 }
                        if leaving >= 0, input[first + leaving * step] { trues -= 1 }
                        let inside = min(length - 1, i + radius) - max(0, i - radius) + 1
                        out[first + i * step] = dilate ? trues > 0 : trues == inside
                    }
                }
            }
        }
        return out
    }

    /// The largest 4-connected set of true cells, as (x, y) pairs.
    static func largestRegion(_ mask: [Bool], width: Int, height: Int) -> [(x: Int, y: Int)] {
        var seen = [Bool](repeating: false, count: mask.count)
        var best: [(x: Int, y: Int)] = []
        var stack: [Int] = []
        for start in mask.indices where mask[start] && !seen[start] {
            var region: [(x: Int, y: Int)] = []
            seen[start] = true
            stack.append(start)
            while let i = stack.popLast() {
                let (x, y) = (i % width, i / width)
                region.append((x, y))
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
                where nx >= 0 && ny >= 0 && nx < width && ny < height && mask[ny * width + nx] && !seen[ny * width + nx] {
                    seen[ny * width + nx] = true
                    stack.append(ny * width + nx)
                }
            }
            if region.count > best.count { best = region }
        }
        return best
    }

    /// Shoelace area of a polygon given in order (either orientation).
    static func polygonArea(_ p: [(Double, Double)]) -> Double {
        var twice = 0.0
        for i in p.indices {
            let (a, b) = (p[i], p[(i + 1) % p.count])
            twice += a.0 * b.1 - b.0 * a.1
        }
        return abs(twice) / 2
    }

    /// Whether every turn of the polygon goes the same way.
    static func isConvex(_ p: [(Double, Double)]) -> Bool {
        var sign = 0.0
        for i in p.indices {
            let (a, b, c) = (p[i], p[(i + 1) % p.count], p[(i + 2) % p.count])
            let cross = (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0)
            if cross == 0 { continue }
            if sign == 0 { sign = cross } else if (cross > 0) != (sign > 0) { return false }
        }
        return sign != 0
    }
}

/// A colour that changes linearly across the frame, per channel (a table under uneven light),
/// fitted to an image's border ring by least squares, twice: the second fit leaves out the ring
/// pixels the first one did not explain (where the cover reaches the border).
struct BackgroundPlane {
    /// Per channel: value = c[0] + c[1]·x + c[2]·y.
    var coefficients: [[Double]]
    /// A pixel whose largest channel residual exceeds this is not background.
    var tolerance: Double

    init?(fittingBorderOf image: RGBImage, ring: Int) {
        let (w, h) = (image.width, image.height)
        var points: [(x: Int, y: Int)] = []
        for y in 0..<h {
            for x in 0..<w where x < ring || y < ring || x >= w - ring || y >= h - ring { points.append((x, y)) }
        }
        coefficients = Self.fit(image, points)
        tolerance = 0
        var residuals = points.map { residual(image, $0.x, $0.y) }
        let firstMedian = residuals.sorted()[residuals.count / 2]
        let inliers = zip(points, residuals).filter { $0.1 <= max(12, 3 * firstMedian) }.map(\.0)
        guard Double(inliers.count) >= CoverRectifier.minimumBackgroundShare * Double(points.count) else { return nil }
        coefficients = Self.fit(image, inliers)
        residuals = inliers.map { residual(image, $0.x, $0.y) }.sorted()
        // Sensor noise and shading: a few times the typical residual, never below what JPEG and a
        // gentle gradient leave.
        tolerance = max(24, 4 * residuals[residuals.count / 2])
    }

    /// The largest absolute channel difference between the pixel and the plane.
    func residual(_ image: RGBImage, _ x: Int, _ y: Int) -> Double {
        let p = (y * image.width + x) * 3
        var worst = 0.0
        for (c, plane) in coefficients.enumerated() {
            let predicted = plane[0] + plane[1] * Double(x) + plane[2] * Double(y)
            worst = max(worst, abs(Double(image.pixels[p + c]) - predicted))
        }
        return worst
    }

    /// Least squares of value ~ 1, x, y per channel (normal equations, 3×3).
    static func fit(_ image: RGBImage, _ points: [(x: Int, y: Int)]) -> [[Double]] {
        var ata = [Double](repeating: 0, count: 9)
        var atb = [[Double]](repeating: [0, 0, 0], count: 3)
        for p in points {
            let row = SIMD3<Double>(1, Double(p.x), Double(p.y))   // on the stack: no array per point
            for i in 0..<3 { for j in 0..<3 { ata[i * 3 + j] += row[i] * row[j] } }
            let base = (p.y * image.width + p.x) * 3
            for c in 0..<3 { for i in 0..<3 { atb[c][i] += row[i] * Double(image.pixels[base + c]) } }
        }
        var planes: [[Double]] = []
        for c in 0..<3 {
            var system: [[Double]] = []
            for i in 0..<3 { system.append([ata[i * 3], ata[i * 3 + 1], ata[i * 3 + 2], atb[c][i]]) }
            planes.append(Homography.solve(system))
        }
        return planes
    }
}
