import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `coverlens` binary run as a worker would be: its own process, real exit statuses,
/// SIGKILL. Spawned with posix_spawn and reaped with waitpid (see `TestServer.run` for why not
/// Foundation's Process).
struct CoverlensProcess {
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var signalled: Bool
        var stdout: String
        var stderr: String
        var description: String { "\(signalled ? "signal" : "status") \(status)\nstdout: \(stdout.suffix(2000))\nstderr: \(stderr.suffix(2000))" }
    }

    let pid: pid_t
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logs + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, logs + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var environment = ProcessInfo.processInfo.environment
        environment["COVERLENS_STORE"] = nil
        environment.merge(extra) { $1 }
        let binary = try binary()
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw TestServer.Unavailable(description: "cannot run \(binary): \(spawned)") }
        return CoverlensProcess(pid: pid, logs: logs)
    }

    /// Runs to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try start(arguments, environment: environment).wait()
    }

    func wait() -> Outcome {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        defer { unlink(logs + ".out"); unlink(logs + ".err") }
        let signalled = status & 0x7f != 0
        return Outcome(status: signalled ? status & 0x7f : (status >> 8) & 0xff, signalled: signalled,
                       stdout: (try? String(contentsOfFile: logs + ".out", encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: logs + ".err", encoding: .utf8)) ?? "")
    }

    /// Standard error so far (the progress bar says how far the run got).
    var stderrSoFar: String { (try? String(contentsOfFile: logs + ".err", encoding: .utf8)) ?? "" }

    func kill() { Glibc.kill(pid, SIGKILL) }
}
