import Foundation

/// A straight line fitted to points by total least squares: through their (weighted) centroid,
/// along the principal axis of their scatter. The sides of a photographed cover are found this way
/// twice: roughly from the hull of the region that differs from the table (`HullQuadrilateral`,
/// each hull edge's endpoints weighted by its length) and then at full resolution from the edge's
/// crossings (`CoverEdgeFit`).
struct FittedLine {
    /// A point on the line and its unit direction.
    var point: (x: Double, y: Double)
    var direction: (x: Double, y: Double)

    /// nil for fewer than two points. `weights`, one per point, default to 1.
    init?(fitting points: [(x: Double, y: Double)], weights: [Double]? = nil) {
        guard points.count >= 2 else { return nil }
        let weights = weights ?? [Double](repeating: 1, count: points.count)
        precondition(weights.count == points.count, "one weight per point")
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        let (mx, my) = (zip(points, weights).reduce(0) { $0 + $1.1 * $1.0.x } / total,
                        zip(points, weights).reduce(0) { $0 + $1.1 * $1.0.y } / total)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (p, w) in zip(points, weights) {
            sxx += w * ((p.x - mx) * (p.x - mx)); sxy += w * ((p.x - mx) * (p.y - my)); syy += w * ((p.y - my) * (p.y - my))
        }
        let angle = 0.5 * atan2(2 * sxy, sxx - syy)
        point = (mx, my)
        direction = (cos(angle), sin(angle))
    }

    /// Signed distance of `p` from the line.
    func distance(_ p: (x: Double, y: Double)) -> Double {
        (p.x - point.x) * direction.y - (p.y - point.y) * direction.x
    }

    /// Where the two lines cross; nil when they are (nearly) parallel.
    func intersection(_ other: FittedLine) -> (x: Double, y: Double)? {
        let det = direction.x * other.direction.y - direction.y * other.direction.x
        guard abs(det) > 1e-6 else { return nil }
        let (dx, dy) = (other.point.x - point.x, other.point.y - point.y)
        let t = (dx * other.direction.y - dy * other.direction.x) / det
        return (point.x + t * direction.x, point.y + t * direction.y)
    }
}
