import Foundation

/// Paths of test fixtures, found from this file's location so tests run from any folder.
enum CheckpointFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func reference(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/reference/\(name)")
    }

    static func pth(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/pth/\(name)")
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A safetensors file from a raw header string and a data section, for hostile-input tests.
    static func safetensorsBytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> Data {
        let json = Array(header.utf8)
        var bytes = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: data)
        return bytes
    }
}
