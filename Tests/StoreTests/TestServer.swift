import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL 16 with pgvector for the store's tests: the binaries scripts/setup.sh
/// extracts from the pgserver wheel (`COVERLENS_PG_HOME`, default /opt/coverlens-postgres), a data
/// folder under the temporary directory, a free port on 127.0.0.1. PostgreSQL refuses to run as
/// root, so under root it runs as the unprivileged user setup.sh creates (`COVERLENS_PG_USER`).
///
/// One server per test process (started on first use, stopped at exit); each test takes its own
/// database, so tests run in parallel without seeing each other's tables. A missing install is an
/// error naming what to run, never a skipped test.
final class TestServer: @unchecked Sendable {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static let superuser = "coverlens"
    /// The superuser's password: TCP logins need one (scram-sha-256), so the tests see real authentication.
    static let password = "test-only-secret-7f3a"

    let home: URL
    let folder: URL
    let port: Int
    private let runAs: String?
    private let lock = NSLock()
    private var databases = 0

    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: Result<TestServer, Error>?

    /// The process's server, started on first call.
    static func shared() throws -> TestServer {
        try lock.withLock {
            if started == nil {
                started = Result { try TestServer() }
                if case .success = started { atexit { TestServer.stopShared() } }
            }
            return try started!.get()
        }
    }

    private static func stopShared() {
        if case .success(let server)? = started { server.stop() }
    }

    private init() throws {
        let environment = ProcessInfo.processInfo.environment
        home = URL(fileURLWithPath: environment["COVERLENS_PG_HOME"] ?? "/opt/coverlens-postgres")
        guard FileManager.default.isExecutableFile(atPath: home.appendingPathComponent("bin/postgres").path) else {
            throw Unavailable(description: "no PostgreSQL in \(home.path): run scripts/setup.sh (it installs PostgreSQL 16 + pgvector from the pgserver wheel)")
        }
        runAs = getuid() == 0 ? (environment["COVERLENS_PG_USER"] ?? "coverlens-pg") : nil
        if let runAs, getpwnam(runAs) == nil {
            throw Unavailable(description: "running as root and there is no user \(runAs) to run PostgreSQL as: run scripts/setup.sh")
        }
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("coverlens-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        if let runAs { try Self.run("/bin/chown", ["-R", runAs, folder.path]) }
        let passwordFile = folder.appendingPathComponent("password")
        try Self.password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if let runAs { try Self.run("/bin/chown", [runAs, passwordFile.path]) }
        try tool("initdb", ["-D", data.path, "-U", Self.superuser, "--pwfile", passwordFile.path, "-E", "UTF8", "--no-locale",
                            "--auth-local=trust", "--auth-host=scram-sha-256"])
        try tool("pg_ctl", ["-D", data.path, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "60",
                            "-o", "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "start"])
    }

    var data: URL { folder.appendingPathComponent("data") }

    /// A new, empty database; the URL to reach it (no password in it: tests pass PGPASSWORD).
    func newDatabase(_ label: String = "t") throws -> String {
        let name = lock.withLock { databases += 1; return "\(label)_\(databases)" }
        try psql("postgres", "CREATE DATABASE \(name)")
        return url(name)
    }

    func url(_ database: String, user: String = TestServer.superuser) -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// The environment a store in these tests reads its password from.
    var environment: [String: String] { ["PGPASSWORD": Self.password] }

    /// Runs SQL through psql over the Unix socket (trusted), printing nothing; returns the output (tuples only).
    @discardableResult
    func psql(_ database: String, _ sql: String) throws -> String {
        try Self.run(home.appendingPathComponent("bin/psql").path,
                     ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", folder.path, "-p", "\(port)", "-U", Self.superuser,
                      "-d", database, "-c", sql], libraries: home.appendingPathComponent("lib").path)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server (immediate: it holds only test data) and deletes its folder.
    func stop() {
        _ = try? tool("pg_ctl", ["-D", data.path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops and starts the server (fast shutdown), e.g. to drop every connection at once.
    func restart() throws {
        try tool("pg_ctl", ["-D", data.path, "-m", "fast", "-w", "-t", "60", "restart"])
    }

    @discardableResult
    private func tool(_ name: String, _ arguments: [String]) throws -> String {
        let binary = home.appendingPathComponent("bin/\(name)").path
        let libraries = home.appendingPathComponent("lib").path
        if let runAs {
            return try Self.run("/usr/sbin/runuser", ["-u", runAs, "--", "/usr/bin/env", "LD_LIBRARY_PATH=\(libraries)", binary] + arguments)
        }
        return try Self.run(binary, arguments, libraries: libraries)
    }

    /// Runs a program to completion (a `ChildProcess`: Foundation's Process waits for exit through
    /// dispatch, which the tests' own blocked threads can starve: a `pg_ctl start` then never seemed
    /// to finish) and returns its standard output; a failure is `Unavailable` with its standard error.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], libraries: String? = nil) throws -> String {
        let errPath = NSTemporaryDirectory() + "coverlens-pg-run-\(getpid())-\(UUID().uuidString.prefix(8)).err"
        defer { unlink(errPath) }
        var environment = ProcessInfo.processInfo.environment
        if let libraries { environment["LD_LIBRARY_PATH"] = libraries }
        let ended: ChildProcess.Termination, output: Data
        do {
            (ended, output) = try ChildProcess.output(of: executable, arguments, environment: environment, standardError: .file(errPath))
        } catch {
            throw Unavailable(description: "\(error)")
        }
        guard ended == .success else {
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(ended)): \(err)")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A port nothing listens on now: bind to port 0, read what the kernel chose, close.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw Unavailable(description: "bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
