import Foundation

/// Where the shared store is: a `postgresql://user@host:port/database` URL, read once and then only
/// shown redacted, so a password never reaches a message, a log, a report or `results.json`.
///
/// The password should not be in the URL at all (it would be on a command line, visible to every
/// user of the machine in `ps`): like libpq, CoverLens takes it from `PGPASSWORD`, then from the
/// password file (`PGPASSFILE`, default `~/.pgpass`). One in the URL still works, and is never printed.
public struct StoreLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// `disable`, `prefer` (the default, as libpq's), `require` or `verify-full`.
    public var sslMode: SSLMode
    /// Kept private to this value: `description` and `redacted` never show it.
    var password: String?

    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require, verifyFull = "verify-full"
    }

    public enum LocationError: Error, CustomStringConvertible, Equatable {
        case notPostgres(String)
        case malformed(String, reason: String)

        public var description: String {
            switch self {
            case .notPostgres(let shown):
                "\(shown) is not a store URL; give postgresql://USER@HOST:PORT/DATABASE (the password from PGPASSWORD or ~/.pgpass)"
            case .malformed(let shown, let reason):
                "\(shown) is not a usable store URL (\(reason)); give postgresql://USER@HOST:PORT/DATABASE"
            }
        }
    }

    /// Reads `text`. `environment` supplies `PGPASSWORD`, `PGPASSFILE`, `PGUSER` and `HOME`
    /// (the process's own by default; tests pass their own).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), ["postgresql", "postgres"].contains(scheme) else {
            throw LocationError.notPostgres(Self.redact(text))
        }
        let shown = Self.redact(text)
        guard let host = components.host, !host.isEmpty else { throw LocationError.malformed(shown, reason: "no host") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw LocationError.malformed(shown, reason: "no database name after the host") }
        self.host = host
        port = components.port ?? 5432
        user = components.user?.removingPercentEncoding ?? environment["PGUSER"] ?? NSUserName()
        self.database = database.removingPercentEncoding ?? database
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw LocationError.malformed(shown, reason: "sslmode \(mode) is not one of " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.sslMode = sslMode
        password = components.password?.removingPercentEncoding
            ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(environment).flatMap { PasswordFile.lookup(in: $0, host: host, port: port, database: self.database, user: user) }
    }

    /// The URL with no password: safe to print, log and record.
    public var redacted: String {
        var text = "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        if sslMode != .prefer { text += "?sslmode=\(sslMode.rawValue)" }
        return text
    }

    public var description: String { redacted }

    /// Whether a password was found (URL, `PGPASSWORD` or the password file), for the message
    /// when the server asks for one.
    public var hasPassword: Bool { password != nil }

    /// `text` with any `:password@` replaced by `:***@`, for messages about a URL that could not
    /// even be parsed.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(rest[at...])
    }

    static func passwordFile(_ environment: [String: String]) -> URL? {
        if let path = environment["PGPASSFILE"] { return URL(fileURLWithPath: path) }
        guard let home = environment["HOME"] else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".pgpass")
    }
}

/// libpq's password file: lines `host:port:database:user:password`, `*` matching anything,
/// `\:` and `\\` escaped, `#` starting a comment; the first matching line wins.
enum PasswordFile {
    static func lookup(in url: URL, host: String, port: Int, database: String, user: String) -> String? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits on unescaped colons, undoing `\:` and `\\`.
    static func split(_ line: String) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false }
            else if character == "\\" { escaped = true }
            else if character == ":" { fields.append(current); current = "" }
            else { current.append(character) }
        }
        fields.append(current)
        return fields
    }
}
