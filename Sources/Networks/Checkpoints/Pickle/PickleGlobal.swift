/// The globals the reader resolves. Anything else in a GLOBAL opcode is refused, which is
/// what keeps a malicious `.pth` (e.g. one naming `os.system`) from doing anything at all.
enum PickleGlobal: String, CaseIterable {
    case orderedDict = "collections.OrderedDict"
    case rebuildTensor = "torch._utils._rebuild_tensor_v2"
    case rebuildParameter = "torch._utils._rebuild_parameter"
    case floatStorage = "torch.FloatStorage"
    case doubleStorage = "torch.DoubleStorage"
    case halfStorage = "torch.HalfStorage"
    case bfloat16Storage = "torch.BFloat16Storage"
    case longStorage = "torch.LongStorage"
    case intStorage = "torch.IntStorage"
    case byteStorage = "torch.ByteStorage"

    var qualifiedName: String { rawValue }

    /// The storage element type, for storage classes.
    var storageType: TorchStorageType? {
        switch self {
        case .floatStorage: .float32
        case .doubleStorage: .float64
        case .halfStorage: .float16
        case .bfloat16Storage: .bfloat16
        case .longStorage: .int64
        case .intStorage: .int32
        case .byteStorage: .uint8
        case .orderedDict, .rebuildTensor, .rebuildParameter: nil
        }
    }
}
