/// Element type of a PyTorch storage.
enum TorchStorageType: String {
    case float32 = "FloatStorage", float64 = "DoubleStorage", float16 = "HalfStorage",
         bfloat16 = "BFloat16Storage", int64 = "LongStorage", int32 = "IntStorage", uint8 = "ByteStorage"

    var elementSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .float16, .bfloat16: 2
        case .uint8: 1
        }
    }
}
