/// Which visual features separate popular from other covers in *this* data set.
public enum FeatureComparison {
    /// Cohen's d with the pooled (n−1) standard deviation; 0 when either group has fewer than two
    /// values or the pooled deviation is 0. |d| ≈ 0.2 small, 0.5 medium, 0.8 large.
    public static func cohensD(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count >= 2, b.count >= 2 else { return 0 }
        func meanVar(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1))
        }
        let (ma, va) = meanVar(a), (mb, vb) = meanVar(b)
        let pooled = ((Double(a.count - 1) * va + Double(b.count - 1) * vb) / Double(a.count + b.count - 2)).squareRoot()
        return pooled > 0 ? (ma - mb) / pooled : 0
    }

    /// Every feature present in both groups, largest |effect| first (ties by name).
    public static func rank(popular: [String: [Double]], other: [String: [Double]]) -> [FeatureEffect] {
        popular.keys.filter { other[$0] != nil }
            .map { FeatureEffect(feature: $0, effectSize: cohensD(popular[$0]!, other[$0]!)) }
            .sorted { abs($0.effectSize) > abs($1.effectSize) || (abs($0.effectSize) == abs($1.effectSize) && $0.feature < $1.feature) }
    }
}
