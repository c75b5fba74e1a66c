import Foundation

/// The individual measures behind `ColourStatistics`, each on the analysis image.
extension ColourStatistics {
    /// Mean and population standard deviation (0, 0 for no values).
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return (mean, variance.squareRoot())
    }

    /// Mean HSV saturation.
    static func saturation(_ image: RGBImage) -> Double {
        let p = image.pixels
        let count = image.width * image.height
        guard count > 0 else { return 0 }
        var sum = 0.0
        for i in 0..<count {
            let r = p[i * 3], g = p[i * 3 + 1], b = p[i * 3 + 2]
            let hi = max(r, g, b), lo = min(r, g, b)
            if hi > 0 { sum += Double(hi - lo) / Double(hi) }
        }
        return sum / Double(count)
    }

    /// Hasler & Süsstrunk's M.
    static func colourfulness(_ image: RGBImage) -> Double {
        let p = image.pixels
        let count = image.width * image.height
        var rg = [Double](), yb = [Double]()
        rg.reserveCapacity(count); yb.reserveCapacity(count)
        for i in 0..<count {
            let r = Double(p[i * 3]), g = Double(p[i * 3 + 1]), b = Double(p[i * 3 + 2])
            rg.append(r - g)
            yb.append(0.5 * (r + g) - b)
        }
        let a = meanAndDeviation(rg), c = meanAndDeviation(yb)
        return (a.deviation * a.deviation + c.deviation * c.deviation).squareRoot()
            + 0.3 * (a.mean * a.mean + c.mean * c.mean).squareRoot()
    }

    /// Fraction of interior pixels with Sobel magnitude over `threshold` on BT.601 luma.
    static func edgeDensity(_ image: RGBImage, threshold: Double) -> Double {
        let w = image.width, h = image.height
        guard w >= 3, h >= 3 else { return 0 }
        let p = image.pixels
        var grey = [Double](repeating: 0, count: w * h)
        for i in grey.indices {
            let r = Double(p[i * 3]), g = Double(p[i * 3 + 1]), b = Double(p[i * 3 + 2])
            grey[i] = 0.299 * r + 0.587 * g + 0.114 * b
        }
        var edges = 0
        for y in 1 ..< h - 1 {
            for x in 1 ..< w - 1 {
                let above = (y - 1) * w + x, row = y * w + x, below = (y + 1) * w + x
                let right: Double = grey[above + 1] + 2 * grey[row + 1] + grey[below + 1]
                let left: Double = grey[above - 1] + 2 * grey[row - 1] + grey[below - 1]
                let down: Double = grey[below - 1] + 2 * grey[below] + grey[below + 1]
                let up: Double = grey[above - 1] + 2 * grey[above] + grey[above + 1]
                let gx = right - left, gy = down - up
                if (gx * gx + gy * gy).squareRoot() > threshold { edges += 1 }
            }
        }
        return Double(edges) / Double((w - 2) * (h - 2))
    }

    /// Fraction of pixels in flat `block × block` tiles (RMS ΔE*76 from the tile mean ≤ `flatness`).
    /// Each tile's sums run over its pixels row by row, one sum at a time (L*, a*, b*, then the squared
    /// distances), where they lie in `lab`: the order of summing a copied-out tile, without the copy.
    static func flatShare(_ lab: [LabColour], width: Int, height: Int, block: Int, flatness: Double) -> Double {
        guard width > 0, height > 0, block > 0 else { return 0 }
        var flatPixels = 0
        lab.withUnsafeBufferPointer { lab in
            for top in stride(from: 0, to: height, by: block) {
                for left in stride(from: 0, to: width, by: block) {
                    let (rows, columns) = (top ..< min(top + block, height), left ..< min(left + block, width))
                    func sum(_ term: (LabColour) -> Double) -> Double {
                        var total = 0.0
                        for y in rows { for x in columns { total += term(lab[y * width + x]) } }
                        return total
                    }
                    let n = Double(rows.count * columns.count)
                    let mean = LabColour(l: sum(\.l) / n, a: sum(\.a) / n, b: sum(\.b) / n)
                    let rms = (sum { $0.squaredDistance(to: mean) } / n).squareRoot()
                    if rms <= flatness { flatPixels += rows.count * columns.count }
                }
            }
        }
        return Double(flatPixels) / Double(width * height)
    }
}
