import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The built `coverlens` binary run as a worker would be: its own process, real exit statuses,
/// SIGKILL. A `ChildProcess` (see there for why not Foundation's Process).
struct CoverlensProcess {
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var signalled: Bool
        var stdout: String
        var stderr: String
        var description: String { "\(signalled ? "signal" : "status") \(status)\nstdout: \(stdout.suffix(2000))\nstderr: \(stderr.suffix(2000))" }
    }

    let child: ChildProcess
    let logs: String

    /// The binary beside the test bundle (`swift test` builds it with everything else), else .build/release.
    static func binary() throws -> String {
        let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var repository = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { repository.deleteLastPathComponent() }
        let candidates = [runner.appendingPathComponent("coverlens").path, repository.appendingPathComponent(".build/release/coverlens").path]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestServer.Unavailable(description: "no coverlens binary (searched \(candidates.joined(separator: ", "))); run swift build")
        }
        return found
    }

    /// The repository's Models/ and Examples/.
    static var repository: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    static func model() throws -> String {
        let path = repository.appendingPathComponent("Models/efficientnet-lite0.safetensors").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw TestServer.Unavailable(description: "\(path) is missing: run scripts/setup.sh")
        }
        return path
    }

    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CoverlensProcess {
        let logs = NSTemporaryDirectory() + "coverlens-store-cli-\(UUID().uuidString)"
        var environment = ProcessInfo.processInfo.environment
        environment["COVERLENS_STORE"] = nil
        environment.merge(extra) { $1 }
        let binary = try binary()
        do {
            let child = try ChildProcess(executable: binary, arguments: arguments, environment: environment,
                                         standardOutput: .file(logs + ".out"), standardError: .file(logs + ".err"))
            return CoverlensProcess(child: child, logs: logs)
        } catch {
            throw TestServer.Unavailable(description: "\(error)")
        }
    }

    /// Runs to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try start(arguments, environment: environment).wait()
    }

    func wait() -> Outcome {
        let ended = child.wait()
        defer { unlink(logs + ".out"); unlink(logs + ".err") }
        return Outcome(status: ended.status, signalled: ended.signalled,
                       stdout: (try? String(contentsOfFile: logs + ".out", encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: logs + ".err", encoding: .utf8)) ?? "")
    }

    /// Standard error so far (the progress bar says how far the run got).
    var stderrSoFar: String { (try? String(contentsOfFile: logs + ".err", encoding: .utf8)) ?? "" }

    func kill() { child.send(SIGKILL) }
}
