import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program run as a child process: started with `posix_spawn`, watched and reaped with `waitpid`.
///
/// Why not Foundation's `Process`: on Linux it registers a run-loop source on the *calling* thread's
/// run loop and learns of the child's end on a manager thread, through dispatch; the store tests saw
/// a `pg_ctl start` that never seemed to finish when the tests' own blocked threads starved it. (It
/// was also suspected of the heap corruption of 2026-12-04, wrongly: that was CoverScan's parallel
/// preparation.) This type has no run loop and no helper thread: the child's status is read with
/// `waitpid` by whoever asks, under a lock, once.
///
/// Standard input is always /dev/null; standard output and error go to /dev/null or to a file. A
/// file that cannot be opened, a working folder that does not exist or a program that is not there
/// is a `StartError` naming that path.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's standard output or error goes.
    public enum Output: Sendable {
        case null
        /// Created or truncated.
        case file(String)
    }

    /// How the child ended: its exit status, or the signal that ended it.
    public struct Termination: Sendable, Equatable {
        /// The exit status, or the signal number when `signalled`.
        public var status: Int32
        public var signalled: Bool

        public init(status: Int32, signalled: Bool) {
            self.status = status
            self.signalled = signalled
        }

        /// Exit status 0.
        public static let success = Termination(status: 0, signalled: false)
    }

    public struct StartError: Error, CustomStringConvertible {
        public var executable: String
        public var reason: String
        public var description: String { "cannot run \(executable): \(reason)" }
    }

    public let processIdentifier: pid_t
    private let lock = NSLock()
    private var ended: Termination?

    /// Starts `executable` (a path) with `arguments`, in `directory` (nil: this process's), with
    /// `environment` (nil: this process's).
    public init(executable: String, arguments: [String], environment: [String: String]? = nil,
                directory: String? = nil, standardOutput: Output = .null, standardError: Output = .null) throws(StartError) {
        // Files and folder are checked here, in this process, so a failure names the path at fault:
        // from inside posix_spawn every failure is the same bare errno, blamed on the executable.
        var opened: [Int32] = []
        defer { opened.forEach { close($0) } }
        var targets: [(Int32, Int32)] = []  // (opened descriptor, the child's 1 or 2)
        for (fd, output, stream) in [(Int32(1), standardOutput, "output"), (Int32(2), standardError, "error")] {
            guard case .file(let path) = output else { continue }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StartError(executable: executable, reason: "cannot open \(path) for its standard \(stream): \(String(cString: strerror(errno)))")
            }
            opened.append(descriptor)
            targets.append((descriptor, fd))
        }
        if let directory {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
                throw StartError(executable: executable, reason: "its working folder \(directory) does not exist")
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var status = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for fd in [Int32(1), 2] where status == 0 {
            // dup2 clears close-on-exec on the child's copy only; the opened descriptor itself stays
            // close-on-exec, so children started at the same time by other threads never inherit it.
            if let (descriptor, _) = targets.first(where: { $0.1 == fd }) {
                status = posix_spawn_file_actions_adddup2(&actions, descriptor, fd)
            } else {
                status = posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            }
        }
        if status == 0, let directory {
            guard let addChdir = Self.addChdir else {
                throw StartError(executable: executable, reason: "this C library cannot set a child's working directory")
            }
            status = addChdir(&actions, directory)
        }
        guard status == 0 else { throw StartError(executable: executable, reason: String(cString: strerror(status))) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling and no blocked signals, whatever this process set.
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environmentLines = environment.map { $0.map { "\($0.key)=\($0.value)" } }
            ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            let missing = status == ENOENT && !FileManager.default.fileExists(atPath: executable)
            throw StartError(executable: executable, reason: missing ? "no such program" : String(cString: strerror(status)))
        }
        processIdentifier = pid
    }

    /// How the child ended, or nil while it runs. Reaps it the first time it has ended.
    public var termination: Termination? { reap(blocking: false) }

    public var isRunning: Bool { termination == nil }

    /// Waits for the child to end.
    @discardableResult
    public func wait() -> Termination { reap(blocking: true)! }

    /// Sends `signal` unless the child has already been reaped (its pid may belong to another process then).
    public func send(_ signal: Int32) {
        lock.withLock {
            if ended == nil { _ = kill(processIdentifier, signal) }
        }
    }

    private func reap(blocking: Bool) -> Termination? {
        lock.withLock {
            if let ended { return ended }
            var raw: Int32 = 0
            while true {
                let result = waitpid(processIdentifier, &raw, blocking ? 0 : WNOHANG)
                if result == processIdentifier { break }
                if result == 0 { return nil }
                if errno == EINTR { continue }
                // Reaped elsewhere (or never ours): nothing more can be learnt about it.
                ended = Termination(status: -1, signalled: false)
                return ended
            }
            let signal = raw & 0x7f
            ended = signal == 0 ? Termination(status: (raw >> 8) & 0xff, signalled: false)
                                : Termination(status: signal, signalled: true)
            return ended
        }
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), which Swift's Glibc module
    /// does not declare: looked up in the process.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()
}

extension ChildProcess {
    /// Runs `executable` to the end and returns its standard output (read from a temporary file, so
    /// no pipe can fill up and no other child can hold it open) and how it ended.
    public static func output(of executable: String, _ arguments: [String], environment: [String: String]? = nil,
                              directory: String? = nil, standardError: Output = .null) throws(StartError) -> (termination: Termination, output: Data) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-child-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: file) }
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment, directory: directory,
                                     standardOutput: .file(file.path), standardError: standardError)
        let termination = child.wait()
        return (termination, (try? Data(contentsOf: file)) ?? Data())
    }
}
