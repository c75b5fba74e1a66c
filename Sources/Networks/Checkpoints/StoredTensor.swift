import Tensors

/// A tensor as a checkpoint stores it: a shape and typed, contiguous, row-major values.
///
/// `Tensor` is Float32 only; checkpoints also carry float64 statistics, 8-bit pixels and int64
/// counters, which keep their type here until the caller asks for a `Tensor`.
public struct StoredTensor: Equatable, Sendable {
    /// Values in row-major order, one case per dtype.
    public enum Values: Equatable, Sendable {
        case float32([Float])
        case float64([Double])
        case uint8([UInt8])
        case int64([Int64])

        public var count: Int {
            switch self {
            case .float32(let v): v.count
            case .float64(let v): v.count
            case .uint8(let v): v.count
            case .int64(let v): v.count
            }
        }

        public var dtype: DType {
            switch self {
            case .float32: .float32
            case .float64: .float64
            case .uint8: .uint8
            case .int64: .int64
            }
        }
    }

    public let shape: [Int]
    public let values: Values

    /// Values must hold exactly `shape.reduce(1, *)` elements (a programming error otherwise,
    /// readers validate file data before they get here).
    public init(shape: [Int], values: Values) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    /// A float32 tensor.
    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, values: .float32(tensor.storage))
    }

    public var dtype: DType { values.dtype }
    public var count: Int { values.count }

    /// The values as a Float32 `Tensor`; F64 is rounded to nearest, integers are converted.
    public var floatTensor: Tensor {
        switch values {
        case .float32(let v): Tensor(shape: shape, storage: v)
        case .float64(let v): Tensor(shape: shape, storage: v.map { Float($0) })
        case .uint8(let v): Tensor(shape: shape, storage: v.map { Float($0) })
        case .int64(let v): Tensor(shape: shape, storage: v.map { Float($0) })
        }
    }

    /// The values widened to Double (exact for every stored type except very large int64).
    public var doubles: [Double] {
        switch values {
        case .float32(let v): v.map { Double($0) }
        case .float64(let v): v
        case .uint8(let v): v.map { Double($0) }
        case .int64(let v): v.map { Double($0) }
        }
    }
}
