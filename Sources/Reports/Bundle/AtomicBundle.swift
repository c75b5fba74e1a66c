import Foundation
import Support
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report folder and its zip so that readers only ever see the previous complete bundle
/// or the new complete one.
///
/// Everything is built in a hidden sibling folder (`.name.tmp-XXXX`, same file system, so renames
/// are atomic); only when every file is written does the old folder move aside, the new one take its
/// name and the old one get deleted. The zip is written beside it under a temporary name and renamed
/// over the old zip. A failure or a kill before the swap leaves the previous bundle untouched (and at
/// most a hidden temporary folder).
struct AtomicBundle {
    let destination: URL

    var zipURL: URL { destination.deletingLastPathComponent().appendingPathComponent(destination.lastPathComponent + ".zip") }

    /// Runs `build` on an empty temporary folder, zips it, then swaps it in. Returns the bundle's
    /// files (relative paths, sorted).
    func write(_ build: (URL) throws -> Void) throws -> [String] {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        try refuseToReplaceForeignFolder()
        removeStaleLeftovers()
        let token = TemporaryName.token()
        let temporary = parent.appendingPathComponent(leftovers.folder.name(token))
        let temporaryZip = parent.appendingPathComponent(leftovers.zip.name(token))
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw ReportError.writeFailed(path: destination.path, reason: "cannot create \(temporary.path): \(Self.reason(error))")
        }
        do {
            try build(temporary)
            let files = try Self.files(in: temporary)
            try zip(files, from: temporary, as: name, to: temporaryZip)
            try swapIn(temporary)
            guard rename(temporaryZip.path, zipURL.path) == 0 else {
                throw ReportError.writeFailed(path: zipURL.path, reason: String(cString: strerror(errno)))
            }
            return files
        } catch {
            try? fm.removeItem(at: temporary)
            try? fm.removeItem(at: temporaryZip)
            if let error = error as? ReportError { throw error }
            throw ReportError.writeFailed(path: destination.path, reason: Self.reason(error))
        }
    }

    /// What a report folder may contain; anything else means the folder is not (only) a report.
    static let bundleEntries: Set<String> = [
        "index.html", "report.css", "report.pdf", "results.json", "results.csv", "training-log.json", "figures", "covers",
    ]

    /// An existing destination must be empty or hold nothing but a previous report: the swap deletes
    /// the old folder, and a mistyped --out (or a results.json in ~/Downloads) must not delete
    /// someone's documents.
    func refuseToReplaceForeignFolder() throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: destination.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw ReportError.notABundle(path: destination.path) }
        // A run killed while writing results.json alone (`--format json,csv`) leaves AtomicFile's
        // hidden `.results.json.<UUID>.tmp`; it belongs to the report and goes with the old folder.
        let contents = Set((try? fm.contentsOfDirectory(atPath: destination.path)) ?? []).filter { name in
            !(name.hasSuffix(".tmp") && Self.bundleEntries.contains { name.hasPrefix("." + $0 + ".") })
        }
        guard contents.isEmpty || (contents.contains("results.json") && contents.isSubset(of: Self.bundleEntries)) else {
            throw ReportError.notABundle(path: destination.path)
        }
    }

    /// Temporary folders and zips of runs that were killed (SIGKILL, power loss); those of a run
    /// still writing into the same parent folder are left alone (`TemporaryName`).
    private func removeStaleLeftovers() {
        TemporaryName.removeAbandoned(in: destination.deletingLastPathComponent(),
                                      patterns: [leftovers.folder, leftovers.zip, leftovers.old])
    }

    /// The hidden siblings a write makes, named after the destination: the folder being built, its
    /// zip, and the previous bundle moved aside during the swap.
    private var leftovers: (folder: TemporaryName.Pattern, zip: TemporaryName.Pattern, old: TemporaryName.Pattern) {
        let name = destination.lastPathComponent
        return (TemporaryName.Pattern(prefix: ".\(name).tmp-"), TemporaryName.Pattern(prefix: ".\(name).zip.tmp-"),
                TemporaryName.Pattern(prefix: ".\(name).old-"))
    }

    private func swapIn(_ temporary: URL) throws {
        let fm = FileManager.default
        var old: URL?
        if fm.fileExists(atPath: destination.path) {
            let aside = destination.deletingLastPathComponent().appendingPathComponent(leftovers.old.name(TemporaryName.token()))
            guard rename(destination.path, aside.path) == 0 else {
                throw ReportError.writeFailed(path: destination.path, reason: "cannot move the old report aside: \(String(cString: strerror(errno)))")
            }
            old = aside
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if let old { _ = rename(old.path, destination.path) }
            throw ReportError.writeFailed(path: destination.path, reason: reason)
        }
        if let old { try? fm.removeItem(at: old) }
    }

    /// Images are compressed already: deflating them again costs time and saves nothing.
    static func alreadyCompressed(_ file: String) -> Bool {
        [".png", ".jpg", ".webp"].contains { file.hasSuffix($0) }
    }

    /// Entries are "<name>/<file>", so unzipping anywhere gives one folder with the whole report.
    private func zip(_ files: [String], from folder: URL, as name: String, to url: URL) throws {
        do {
            let archive = try Archive(url: url, accessMode: .create)
            for file in files {
                try archive.addEntry(with: "\(name)/\(file)", fileURL: folder.appendingPathComponent(file),
                                     compressionMethod: Self.alreadyCompressed(file) ? .none : .deflate)
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.synchronize()
        try handle.close()
    }

    /// Regular files under `folder`, relative and sorted.
    static func files(in folder: URL) throws -> [String] {
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        for case let relative as String in walker {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// The POSIX reason behind a Foundation error ("Not a directory", "No space left on device"),
    /// so the message is a sentence rather than an NSError dump.
    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        // On Linux the underlying error is a Swift `POSIXError`, not an NSError: cast through Error.
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : (ns.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        if let posix, posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        return String(describing: error)
    }
}
