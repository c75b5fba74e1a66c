/// Element types CoverLens stores in checkpoints, spelled as safetensors spells them.
///
/// F32 carries every weight; F64 holds reference statistics (gradient norms); U8 raw pixels;
/// I64 PyTorch's `num_batches_tracked` counters. Half precision is refused on purpose: the
/// numerical contract is float32, and silently widening F16 would hide a lossy conversion.
public enum DType: String, CaseIterable, Sendable {
    case float32 = "F32"
    case float64 = "F64"
    case uint8 = "U8"
    case int64 = "I64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32: 4
        case .float64: 8
        case .uint8: 1
        case .int64: 8
        }
    }
}
