import Foundation
import Imaging

/// What a folder scan left alone on purpose (hidden entries, files that are not images, entries
/// that are not regular files): named as warnings, one line each, and counted for the summary
/// line, so nothing in a cover folder is left out in silence.
public enum IgnoredEntries {
    /// Warns `ignored ROLE/PATH: reason` for each entry and returns how many there were.
    public static func report(_ folders: [(role: String?, listing: ImageFolder)], to observer: some RunObserver) -> Int {
        var count = 0
        for (role, listing) in folders {
            for entry in listing.ignored {
                observer.warn("ignored \(role.map { "\($0)/" } ?? "")\(entry)")
                count += 1
            }
        }
        return count
    }

    /// Lists `folders` again (cheap: a walk and 32 bytes a file) for runs whose library call did
    /// the scanning, and reports what they ignored.
    public static func report(_ folders: [(role: String, url: URL)], followSymlinks: Bool, to observer: some RunObserver) -> Int {
        report(folders.compactMap { folder in
            (try? ImageFolder(folder.url, followSymlinks: followSymlinks)).map { (folder.role, $0) }
        }, to: observer)
    }

    /// The result line of a run over cover folders: "3 entries in the cover folders ignored (…)"; nothing for 0.
    public static func sayCount(_ count: Int, to observer: some RunObserver) {
        if count > 0 {
            observer.say("\(count) \(count == 1 ? "entry" : "entries") in the cover folders ignored (not images, hidden or not regular files; listed above)")
        }
    }

    /// "; 3 entries ignored (not images, hidden or not regular files; listed above)", or "".
    public static func summary(_ count: Int) -> String {
        count == 0 ? "" : "; \(count) \(count == 1 ? "entry" : "entries") ignored (not images, hidden or not regular files; listed above)"
    }
}
