/// Maps data values linearly onto a span of logical units (either direction: a y axis runs
/// from the bottom of the plot up).
public struct LinearScale: Equatable, Sendable {
    public var domain: ClosedRange<Double>
    public var start: Double
    public var end: Double

    public init(domain: ClosedRange<Double>, start: Double, end: Double) {
        self.domain = domain
        self.start = start
        self.end = end
    }

    public func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span > 0 ? (value - domain.lowerBound) / span : 0.5
        return start + t * (end - start)
    }
}
