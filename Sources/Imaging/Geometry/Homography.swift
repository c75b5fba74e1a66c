/// The projective map taking four points onto four others (the usual 8-unknown linear system).
public struct Homography: Sendable {
    /// Row-major 3×3, h[8] = 1.
    public let h: [Double]

    public init(from source: [(x: Double, y: Double)], to target: [(x: Double, y: Double)]) {
        precondition(source.count == 4 && target.count == 4)
        var a = [[Double]]()
        for (s, t) in zip(source, target) {
            a.append([s.x, s.y, 1, 0, 0, 0, -s.x * t.x, -s.y * t.x, t.x])
            a.append([0, 0, 0, s.x, s.y, 1, -s.x * t.y, -s.y * t.y, t.y])
        }
        h = Self.solve(a) + [1]
    }

    public func map(_ x: Double, _ y: Double) -> (Double, Double) {
        let d = h[6] * x + h[7] * y + h[8]
        return ((h[0] * x + h[1] * y + h[2]) / d, (h[3] * x + h[4] * y + h[5]) / d)
    }

    /// Gauss–Jordan elimination with partial pivoting on an n × (n + 1) augmented matrix.
    static func solve(_ matrix: [[Double]]) -> [Double] {
        var m = matrix
        let n = m.count
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            for row in 0..<n where row != col {
                let f = m[row][col] / m[col][col]
                for k in col...n { m[row][k] -= f * m[col][k] }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }
}
