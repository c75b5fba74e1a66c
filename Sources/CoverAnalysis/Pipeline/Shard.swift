import Foundation

/// One worker's share of a folder when many machines embed it: shard `index` of `count`.
///
/// A file belongs to the shard its path (relative to the folder, as `ImageFolder` gives it)
/// hashes to, so every worker decides alone and reads only its own files: no coordination, no file
/// read twice. The path, not the content, picks the shard (hashing content would mean reading
/// every file); the content hash stays the store key, so a file copied under two names is embedded
/// at most twice and stored once.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// The whole folder, for runs that are not sharded.
    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    public enum ShardError: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        case indexOutOfRange(index: Int, count: Int)
        case noCount(index: Int)
        case badEnvironment(name: String, value: String)

        public var description: String {
            switch self {
            case .malformed(let text):
                "--shard \(text) is not I/N (e.g. 0/8), nor a bare /N with the index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID"
            case .indexOutOfRange(let i, let n):
                "shard index \(i) is not below the shard count \(n) (shards are numbered 0…\(max(0, n - 1)))"
            case .noCount(let i):
                "shard \(i) was found in the environment but not how many there are; give --shard \(i)/N or set SLURM_ARRAY_TASK_COUNT"
            case .badEnvironment(let name, let value):
                "\(name)=\(value) is not a whole number ≥ 0"
            }
        }
    }

    init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Shard `index` of `count`. - Throws: `ShardError.indexOutOfRange` when `index ≥ count`.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else { throw ShardError.indexOutOfRange(index: index, count: count) }
        self.init(uncheckedIndex: index, count: count)
    }

    /// The shard from `--shard` (`I/N`, or `/N` and `I` from the scheduler) and the environment.
    ///
    /// `I` defaults to `JOB_COMPLETION_INDEX` (a Kubernetes Indexed Job), else
    /// `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN` (a Slurm array need not start at 0); `N` to
    /// `SLURM_ARRAY_TASK_COUNT`. Nil when neither the flag nor the environment asks for shards.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        func number(_ name: String) throws -> Int? {
            guard let value = environment[name] else { return nil }
            guard let n = Int(value.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw ShardError.badEnvironment(name: name, value: value)
            }
            return n
        }
        func environmentIndex() throws -> Int? {
            if let k8s = try number("JOB_COMPLETION_INDEX") { return k8s }
            if let id = try number("SLURM_ARRAY_TASK_ID") { return id - (try number("SLURM_ARRAY_TASK_MIN") ?? 0) }
            return nil
        }
        var index: Int?, count: Int?
        if let flag {
            let parts = flag.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let n = Int(parts[1]) else { throw ShardError.malformed(flag) }
            count = n
            if parts[0].isEmpty { index = try environmentIndex() } else {
                guard let i = Int(parts[0]) else { throw ShardError.malformed(flag) }
                index = i
            }
            guard index != nil else { throw ShardError.malformed(flag) }
        } else {
            guard let i = try environmentIndex() else { return nil }
            index = i
            count = try number("SLURM_ARRAY_TASK_COUNT")
            guard count != nil else { throw ShardError.noCount(index: i) }
        }
        return try Shard(index: index!, count: count!)
    }

    /// Whether `relativePath` is this shard's: the first 8 bytes of its SHA-256, modulo `count`.
    public func contains(_ relativePath: String) -> Bool {
        count == 1 || Self.shard(of: relativePath, count: count) == index
    }

    /// The shard `relativePath` falls in when the folder is split `count` ways.
    public static func shard(of relativePath: String, count: Int) -> Int {
        let digest = SHA256.digest(Array(relativePath.utf8))
        let prefix = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(prefix % UInt64(count))
    }

    public var description: String { "\(index)/\(count)" }
}
