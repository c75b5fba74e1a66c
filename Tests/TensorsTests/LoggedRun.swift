import Foundation
import Support

/// A program run to its end with its standard output and error kept, for the tests that check a
/// whole other run (a script, a child test process) by how it ended and what it printed.
struct LoggedRun {
    let termination: ChildProcess.Termination
    /// Standard output, then standard error.
    let output: String

    /// The last `lines` lines of the output, for a failure's message.
    func tail(_ lines: Int = 40) -> String {
        output.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil) throws {
        let logs = ["out", "err"].map {
            FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-run-\(UUID().uuidString).\($0)")
        }
        defer { logs.forEach { try? FileManager.default.removeItem(at: $0) } }
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment,
                                     directory: directory?.path, standardOutput: .file(logs[0].path),
                                     standardError: .file(logs[1].path))
        termination = child.wait()
        output = logs.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n")
    }
}
