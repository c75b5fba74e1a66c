import Foundation

/// Why a checkpoint (safetensors, PyTorch `.pth`) could not be read or written.
///
/// Every case names the file, so a message printed on its own tells the user which file to fix.
/// Hostile or damaged files end here, never in a crash or a huge allocation: readers validate
/// sizes and offsets before they allocate anything.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read at all.
    case unreadable(path: String, reason: String)
    /// The file ends before a structure it announces (header, storage, zip entry).
    case truncated(path: String, detail: String)
    /// The safetensors JSON header is missing, too large or malformed.
    case badHeader(path: String, detail: String)
    /// A tensor's dtype is one CoverLens does not read (F16, BF16, …).
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor's shape, offsets or strides are inconsistent with its data.
    case badTensor(path: String, tensor: String, detail: String)
    /// The pickle stream uses something the safe reader refuses or does not understand.
    case badPickle(path: String, detail: String)
    /// The file is not a safetensors, zip `.pth` or legacy `.pth` file.
    case unknownFormat(path: String, firstBytes: String)
    /// A tensor the caller needs is absent.
    case missingTensor(path: String, tensor: String)
    /// The state dict does not fit the requested architecture.
    case architectureMismatch(path: String, architecture: String, problems: [String])
    /// The classifier is neither one popularity logit nor ImageNet's classes; `detail` is one
    /// sentence saying what was found and what was expected.
    case unexpectedHead(path: String, detail: String)
    /// Writing failed (disk full, permissions, …).
    case writeFailed(path: String, reason: String)
    /// Data handed to the writer cannot be stored (duplicate or reserved names).
    case invalidInput(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): "\(p): cannot read the file (\(r))"
        case .truncated(let p, let d): "\(p): the file ends early (\(d)); truncated download?"
        case .badHeader(let p, let d): "\(p): invalid safetensors header: \(d)"
        case .unsupportedDType(let p, let t, let d):
            "\(p): tensor '\(t)' has dtype \(d); CoverLens reads F32, F64, U8 and I64 (convert half precision to float32 first)"
        case .badTensor(let p, let t, let d): "\(p): tensor '\(t)': \(d)"
        case .badPickle(let p, let d): "\(p): cannot read the PyTorch pickle: \(d)"
        case .unknownFormat(let p, let b):
            "\(p): not a safetensors or PyTorch .pth file (starts with \(b))"
        case .missingTensor(let p, let t): "\(p): no tensor named '\(t)'"
        case .architectureMismatch(let p, let a, let problems) where problems.first?.hasPrefix("this is a ") == true:
            "\(p): \(problems[0]); give the --arch that matches the checkpoint, or a \(a) checkpoint"
        case .architectureMismatch(let p, let a, let problems):
            "\(p): does not fit \(a) (\(problems.count) problem\(problems.count == 1 ? "" : "s")); "
                + "check that the checkpoint was trained as \(a):\n  "
                + problems.prefix(20).joined(separator: "\n  ")
                + (problems.count > 20 ? "\n  … and \(problems.count - 20) more" : "")
        case .unexpectedHead(let p, let d): "\(p): \(d)"
        case .writeFailed(let p, let r): "\(p): cannot write the file (\(r))"
        case .invalidInput(let p, let d): "\(p): \(d)"
        }
    }
}

/// Hex of a file's first bytes, for "not a … file" messages.
func hexPrefix(_ data: Data, count: Int = 8) -> String {
    let bytes = data.prefix(count).map { String(format: "%02x", $0) }.joined(separator: " ")
    return bytes.isEmpty ? "nothing: the file is empty" : bytes
}
