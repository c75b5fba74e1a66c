import Foundation
import Support
import Testing

/// `ChildProcess` replaces Foundation's `Process`, which crashed the test process now and then when
/// children were started and waited for from many threads at once (see its doc comment).
@Suite struct ChildProcessTests {
    @Test func exitStatusOutputDirectoryAndEnvironmentReachTheCaller() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (ended, output) = try ChildProcess.output(of: "/bin/sh", ["-c", "pwd; echo \"$GREETING\"; exit 3"],
                                                      environment: ["GREETING": "hello"], directory: folder.path)
        #expect(ended == .init(status: 3, signalled: false))
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines == [folder.resolvingSymlinksInPath().path, "hello"])
    }

    @Test func standardErrorGoesToItsFileAndInputIsEmpty() throws {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errors) }
        let ended = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "cat; echo oops >&2"],
                                     standardError: .file(errors.path)).wait()
        #expect(ended == .success)
        #expect(try String(contentsOf: errors, encoding: .utf8) == "oops\n")
    }

    @Test func aKilledChildSaysWhichSignalEndedIt() throws {
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        #expect(child.isRunning)
        child.send(SIGKILL)
        #expect(child.wait() == .init(status: SIGKILL, signalled: true))
        #expect(!child.isRunning)
        child.send(SIGKILL)   // after reaping: nothing is sent (the pid may be another process's by now)
    }

    @Test func aMissingProgramIsAnErrorNamingIt() throws {
        let error = try #require(throws: ChildProcess.StartError.self) {
            try ChildProcess(executable: "/nonexistent/program", arguments: [])
        }
        #expect(error.description == "cannot run /nonexistent/program: no such program")
    }

    /// CI on 20bfc5e: an error file in a folder not yet made gave "cannot run /usr/bin/env: No such
    /// file or directory", blaming a program that was there. The message names the file at fault.
    @Test func anOutputFileThatCannotBeOpenedIsNamedNotTheProgram() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        let errors = folder.appendingPathComponent("not-made-yet/run.err").path
        let error = try #require(throws: ChildProcess.StartError.self) {
            try ChildProcess(executable: "/bin/sh", arguments: ["-c", "true"], standardError: .file(errors))
        }
        #expect(error.description == "cannot run /bin/sh: cannot open \(errors) for its standard error: No such file or directory")
        let missing = try #require(throws: ChildProcess.StartError.self) {
            try ChildProcess(executable: "/bin/sh", arguments: ["-c", "true"], directory: folder.path)
        }
        #expect(missing.description == "cannot run /bin/sh: its working folder \(folder.path) does not exist")
    }

    /// What crashed `Process`: many children started, polled and waited for from parallel threads.
    @Test func childrenStartedFromManyThreadsAtOnceAllFinish() {
        let count = 64
        let lock = NSLock()
        nonisolated(unsafe) var statuses: [Int32] = []
        DispatchQueue.concurrentPerform(iterations: count) { i in
            guard let child = try? ChildProcess(executable: "/bin/sh", arguments: ["-c", "exit \(i % 7)"]) else { return }
            while child.isRunning { usleep(1_000) }
            let ended = child.wait()
            lock.withLock { statuses.append(ended.signalled ? -1 : ended.status) }
        }
        #expect(statuses.sorted() == (0..<count).map { Int32($0 % 7) }.sorted())
    }
}
