import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a run writes, checked before any cover is decoded: a report folder that is a file, or an
/// output file whose folder cannot be made or written, is found in a second, not after the work.
public enum OutputLocation {
    public struct Unusable: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var problem: String
        public var flag: String

        public var description: String { "\(path): \(problem); choose another \(flag)" }
    }

    /// `folder` can be a report folder: it is a folder (or can be made) and can be written.
    public static func checkFolder(_ folder: URL, flag: String = "--out") throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw Unusable(path: folder.path, problem: "is a file, not a folder", flag: flag) }
            // The bundle is built beside the folder and swapped in, so its parent is written too.
            try checkWritable(folder.deletingLastPathComponent(), for: folder, flag: flag)
        } else {
            // A new folder named like a file is almost always a file meant: say so instead of making it.
            let ext = folder.pathExtension.lowercased()
            if Self.fileExtensions.contains(ext) {
                throw Unusable(path: folder.path, problem: "names a .\(ext) file, but \(flag) is the folder the outputs go into"
                               + " (the model as model.safetensors, the results as results.json and results.csv inside it)",
                               flag: flag)
            }
            try makeParent(of: folder, flag: flag)
        }
    }

    /// Endings of the files a run writes or reads, refused as the name of an output folder that
    /// does not exist yet (an existing folder of such a name is used as it is).
    static let fileExtensions: Set<String> = ["safetensors", "pth", "pt", "json", "csv", "pdf", "html", "zip"]

    /// `file` can be written: it is not a folder, and its folder exists (or can be made) and can be written.
    public static func checkFile(_ file: URL, flag: String = "--out") throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), isFolder.boolValue {
            throw Unusable(path: file.path, problem: "is a folder, not a file", flag: flag)
        }
        try makeParent(of: file, flag: flag)
    }

    private static func makeParent(of url: URL, flag: String) throws {
        let parent = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        var ancestor = parent
        // The nearest part of the path that exists must be a folder.
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) && ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
        }
        guard isFolder.boolValue else {
            throw Unusable(path: url.path, problem: "cannot be made, because \(ancestor.path) is a file", flag: flag)
        }
        try checkWritable(ancestor, for: url, flag: flag)
    }

    private static func checkWritable(_ folder: URL, for url: URL, flag: String) throws {
        guard access(folder.path, W_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            throw Unusable(path: url.path, problem: "cannot be written, because \(folder.path) cannot be written (\(reason))", flag: flag)
        }
    }
}
