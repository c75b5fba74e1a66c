import Foundation

/// One process-wide lock for everything that reaches FreeType through Pango and Cairo.
///
/// Pango gives every thread its own font map, but Cairo's FreeType backend shares font faces
/// between them, and FreeType faces are not thread-safe: two threads laying out or drawing text
/// at once failed now and then with Cairo's "error occurred in libfreetype" (seen when the report,
/// figure and synthetic-cover tests ran in parallel). CoverLens itself draws on one thread, so the
/// lock costs it nothing; it makes drawing from several threads (tests, library users) safe.
/// Recursive, so a locked drawing step may call another.
public enum FontStack {
    private static let lock = NSRecursiveLock()

    public static func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
