import Foundation

/// Reader for the zip `.pth` format (`torch.save` since PyTorch 1.6).
///
/// The archive holds `<name>/data.pkl` (the pickled state dict, storages as persistent ids)
/// and `<name>/data/<key>` (each storage's raw little-endian bytes); `<name>/byteorder`,
/// when present, must say `little`.
enum ZipTorchFile {
    static func read(_ data: Data, path: String) throws -> StateDict {
        let archive = try ZipArchive(data, path: path)
        let pickles = archive.names.filter { $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }
        guard pickles.count == 1, let pickleName = pickles.first else {
            throw CheckpointError.badPickle(path: path, detail: "expected one <name>/data.pkl in the zip archive, found \(pickles.count)")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        if let order = archive.entries[prefix + "byteorder"] {
            let text = String(decoding: data[data.startIndex + order.range.lowerBound ..< data.startIndex + order.range.upperBound], as: UTF8.self)
            guard text.trimmingCharacters(in: .whitespacesAndNewlines) == "little" else {
                throw CheckpointError.badPickle(path: path, detail: "byte order '\(text)' is not little-endian")
            }
        }
        guard let pickleEntry = archive.entries[pickleName] else {
            throw CheckpointError.badPickle(path: path, detail: "cannot find \(pickleName)")
        }
        let pickle = data.subdata(in: data.startIndex + pickleEntry.range.lowerBound ..< data.startIndex + pickleEntry.range.upperBound)
        let (root, _) = try PickleMachine.load(pickle, path: path)
        var builder = TorchStateDictBuilder(path: path) { storage in
            guard let entry = archive.entries[prefix + "data/" + storage.key] else {
                throw CheckpointError.truncated(path: path, detail: "storage \(storage.key) has no entry \(prefix)data/\(storage.key)")
            }
            return .init(data: data, offset: entry.range.lowerBound, byteCount: entry.range.count)
        }
        return try builder.build(root)
    }
}
