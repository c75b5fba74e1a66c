import Foundation

/// Reads a state dict from a `.safetensors`, zip `.pth` or legacy `.pth` file.
///
/// The format is chosen from the file's first bytes, not its extension: checkpoints are often
/// renamed (`model.bin`, `best.ckpt`), and the bytes cannot lie about which parser applies.
/// zip starts with `PK\u{3}\u{4}`; the legacy format with pickle PROTO 2 and the 10-byte
/// magic number; safetensors with an 8-byte header length followed by `{`.
public func loadStateDict(contentsOf url: URL) throws -> StateDict {
    let data: Data
    do {
        data = try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
        throw CheckpointError.unreadable(path: url.path, reason: error.localizedDescription)
    }
    return try loadStateDict(bytes: data, path: url.path)
}

/// The same from bytes in memory; `path` names them in errors.
public func loadStateDict(bytes data: Data, path: String) throws -> StateDict {
    if ZipArchive.matches(data) {
        return try ZipTorchFile.read(data, path: path)
    }
    if LegacyTorchFile.matches(data) {
        return try LegacyTorchFile.read(data, path: path)
    }
    if data.count >= 9, data[data.startIndex + 8] == UInt8(ascii: "{") {
        return try SafeTensors(bytes: data, path: path).tensors
    }
    throw CheckpointError.unknownFormat(path: path, firstBytes: hexPrefix(data))
}
