import Foundation
import Imaging

/// Where labelled covers come from: a data folder with one sub-folder per class (torchvision's
/// ImageFolder layout, so a data set prepared for the PyTorch recipe works as it is), or an explicit
/// popular folder and other folder.
///
/// In the class-folder layout the folder named `positive` (default `popular`) is the positive
/// class and every other sub-folder counts as "not popular", so `popular/`, `midlist/`, `backlist/`
/// trains one popular-vs-rest head.
public enum LabelledFolders: Sendable, Equatable {
    case classFolders(URL, positive: String)
    case pair(popular: URL, other: URL)

    /// One class folder and its label.
    public struct ClassFolder: Sendable, Equatable {
        public var name: String
        public var url: URL
        public var positive: Bool
    }

    public enum LayoutError: Error, CustomStringConvertible, Equatable {
        case noPositiveFolder(path: String, positive: String, found: [String])
        case noNegativeFolder(path: String, positive: String)
        case noCovers(path: String, problems: Int)
        case oneClassOnly(path: String, missing: String)

        public var description: String {
            switch self {
            case .noPositiveFolder(let p, let positive, let found):
                "\(p): no '\(positive)' sub-folder (the positive class)" + (found.isEmpty
                    ? "; expected one sub-folder per class, e.g. \(positive)/ and other/"
                    : "; found \(found.joined(separator: ", ")) — name the positive one with --positive")
            case .noNegativeFolder(let p, let positive):
                "\(p): only '\(positive)' is there; add a folder of other covers (e.g. other/) to learn what sets \(positive) apart"
            case .noCovers(let p, let problems):
                "\(p): holds no usable covers" + (problems > 0 ? " (\(problems) files could not be used; see the list above)" : " (expected .jpg, .png or .webp files)")
            case .oneClassOnly(let p, let missing):
                "\(p): no usable \(missing) covers, so there is nothing to tell apart"
            }
        }
    }

    /// The class folders, positive first, the others in name order.
    public func classes() throws -> [ClassFolder] {
        switch self {
        case .pair(let popular, let other):
            return [ClassFolder(name: "popular", url: popular, positive: true), ClassFolder(name: "other", url: other, positive: false)]
        case .classFolders(let root, let positive):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
                throw ImageFolder.FolderError.missing(root.path)
            }
            guard isDirectory.boolValue else { throw ImageFolder.FolderError.notAFolder(root.path) }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: root.path) } catch {
                throw ImageFolder.FolderError.unreadable(root.path, (error as NSError).localizedDescription)
            }
            let folders = names.filter { name in
                var dir: ObjCBool = false
                return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &dir)
                    && dir.boolValue
            }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            guard folders.contains(positive) else {
                throw LayoutError.noPositiveFolder(path: root.path, positive: positive, found: folders)
            }
            let negatives = folders.filter { $0 != positive }
            guard !negatives.isEmpty else { throw LayoutError.noNegativeFolder(path: root.path, positive: positive) }
            return [ClassFolder(name: positive, url: root.appendingPathComponent(positive), positive: true)]
                + negatives.map { ClassFolder(name: $0, url: root.appendingPathComponent($0), positive: false) }
        }
    }

    /// A path that names the data in messages and metadata.
    public var description: String {
        switch self {
        case .classFolders(let root, _): root.path
        case .pair(let popular, let other): "\(popular.path) + \(other.path)"
        }
    }
}
