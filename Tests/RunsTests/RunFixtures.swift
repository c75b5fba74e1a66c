import CoverAnalysis
import Foundation
import Runs

/// What a run said, collected instead of printed.
final class CollectingObserver: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _said: [String] = []
    private var _warnings: [String] = []
    private var _phases: [String] = []

    var said: [String] { lock.withLock { _said } }
    var warnings: [String] { lock.withLock { _warnings } }
    /// Each phase name once, in the order first reported.
    var phases: [String] { lock.withLock { _phases } }

    func progress(_ phase: String, done: Int, total: Int, detail: String) {
        lock.withLock { if _phases.last != phase && !_phases.contains(phase) { _phases.append(phase) } }
    }
    func say(_ line: String) { lock.withLock { _said.append(line) } }
    func warn(_ line: String) { lock.withLock { _warnings.append(line) } }
}

/// A few of the bundled synthetic Examples/ covers copied into a scratch folder, and the default
/// model that scripts/setup.sh installs.
final class RunFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var model: URL { repository.appendingPathComponent("Models/efficientnet-lite0.safetensors") }
    static var haveModel: Bool { FileManager.default.fileExists(atPath: model.path) }

    let root: URL
    var popular: URL { root.appendingPathComponent("covers/popular") }
    var other: URL { root.appendingPathComponent("covers/other") }
    var candidates: URL { root.appendingPathComponent("covers/candidates") }

    /// `perClass` popular and other covers and two candidates.
    init(perClass: Int = 6) throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.appendingPathComponent("coverlens-runs-\(UUID().uuidString)")
        let examples = Self.repository.appendingPathComponent("Examples")
        for (folder, count) in [("popular", perClass), ("other", perClass), ("candidates", 2)] {
            let source = examples.appendingPathComponent(folder)
            let target = root.appendingPathComponent("covers/\(folder)")
            try fm.createDirectory(at: target, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: source.path).sorted().prefix(count) {
                try fm.copyItem(at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
            }
        }
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    deinit { try? FileManager.default.removeItem(at: root) }
}
