import Foundation

/// The four corners of a tilted rectangle seen as a region of cells, from the straight sides of the
/// region's convex hull: each side a line fitted to the hull's edges that run along it (`FittedLine`), each corner
/// where two sides meet.
///
/// Why sides rather than the region's extreme points: where a corner of the cover has the colour of
/// the table (a hill the colour of the wood), the region lacks that corner and its extreme point
/// lies inside the cover; the hull then cuts the corner off with one short diagonal edge, and the
/// two sides beside it, extended, still meet where the corner is. Edges more than `maximumTilt`
/// from horizontal and vertical (such cuts) are left out of every side.
enum HullQuadrilateral {
    /// Hull edges steeper than this (radians) from their side's direction belong to no side.
    static let maximumTilt = 0.35

    /// Top left, top right, bottom right, bottom left, in cell units (a cell (x, y) spans
    /// x..<x + 1, y..<y + 1); nil when a side has no edge along it.
    static func corners(of region: [(x: Int, y: Int)]) -> [(Double, Double)]? {
        let hull = convexHull(boundaryCorners(region))
        guard hull.count >= 4 else { return nil }
        let centre = (hull.map(\.0).reduce(0, +) / Double(hull.count), hull.map(\.1).reduce(0, +) / Double(hull.count))
        // Per side (top, right, bottom, left): the endpoints of the hull edges along it, each
        // weighted by half its edge's length.
        var sides = [(points: [(x: Double, y: Double)], weights: [Double])](repeating: ([], []), count: 4)
        let tilt = tan(maximumTilt)
        for i in hull.indices {
            let (a, b) = (hull[i], hull[(i + 1) % hull.count])
            let (dx, dy) = (b.0 - a.0, b.1 - a.1)
            let length = (dx * dx + dy * dy).squareRoot()
            guard length > 0 else { continue }
            let middle = ((a.0 + b.0) / 2, (a.1 + b.1) / 2)
            let side: Int
            if abs(dy) <= abs(dx) * tilt {
                side = middle.1 < centre.1 ? 0 : 2
            } else if abs(dx) <= abs(dy) * tilt {
                side = middle.0 > centre.0 ? 1 : 3
            } else {
                continue
            }
            sides[side].points += [(a.0, a.1), (b.0, b.1)]
            sides[side].weights += [length / 2, length / 2]
        }
        var lines: [FittedLine] = []
        for side in sides {
            guard let line = FittedLine(fitting: side.points, weights: side.weights) else { return nil }
            lines.append(line)
        }
        // Corners: top ∩ left, top ∩ right, bottom ∩ right, bottom ∩ left.
        var out: [(Double, Double)] = []
        for (p, q) in [(0, 3), (0, 1), (2, 1), (2, 3)] {
            guard let corner = lines[p].intersection(lines[q]) else { return nil }
            out.append((corner.x, corner.y))
        }
        return out
    }

    /// The outer corners of the region's cells that lie on its boundary (a cell with a neighbour
    /// outside the region), as points: the hull of these is the hull of the whole region.
    static func boundaryCorners(_ region: [(x: Int, y: Int)]) -> [(Double, Double)] {
        var inside = Set<Int>()
        let stride = 1 << 20
        for p in region { inside.insert(p.y * stride + p.x) }
        var points: [(Double, Double)] = []
        for p in region {
            let interior = inside.contains(p.y * stride + p.x - 1) && inside.contains(p.y * stride + p.x + 1)
                && inside.contains((p.y - 1) * stride + p.x) && inside.contains((p.y + 1) * stride + p.x)
            if interior { continue }
            let (x, y) = (Double(p.x), Double(p.y))
            points += [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)]
        }
        return points
    }

    /// Andrew's monotone chain: the hull's vertices in order, counter-clockwise as a mathematician
    /// draws axes (so clockwise on screen, where y points down), without collinear points.
    static func convexHull(_ points: [(Double, Double)]) -> [(Double, Double)] {
        let sorted = points.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        guard sorted.count >= 3 else { return sorted }
        func cross(_ o: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
            (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
        }
        var lower: [(Double, Double)] = [], upper: [(Double, Double)] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
