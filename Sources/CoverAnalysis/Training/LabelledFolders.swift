import Foundation
import Imaging

/// Where labelled covers come from: a data folder with one sub-folder per class (torchvision's
/// ImageFolder layout, so a data set prepared for the PyTorch recipe works as it is), or an explicit
/// popular folder and other folder.
///
/// ImageFolder makes every sub-folder a class; a one-logit head has two, so which folders are which
/// is decided here and nothing is lumped in silently (`layout()`):
/// - exactly two class folders are the two classes, whatever the negative one is called; the
///   positive is `positive` (default `popular`), and two folders without it are refused, naming both;
/// - with more, the negatives are `other/`, or the folders named in `negatives` (`--negative`);
///   the folders left over are named in one line (`Layout.unusedNote`);
/// - `candidates/` (what `coverlens synth` writes beside the classes) is never a class unless named.
public enum LabelledFolders: Sendable, Equatable {
    case classFolders(URL, positive: String, negatives: [String] = [])
    case pair(popular: URL, other: URL)
    /// Two named collections in the shared store (`--popular collection:A --other collection:B`):
    /// their stored embeddings, for head mode; fine-tuning needs the files (`TrainingRequest.validate`).
    case collections(popular: String, other: String)

    /// The positive class folder's name when none is given.
    public static let defaultPositive = "popular"
    /// The negative class folder's name when DATA holds more than two and none is named.
    public static let defaultNegative = "other"
    /// A sub-folder that holds covers to score, not a class, unless named.
    public static let candidatesFolder = "candidates"

    /// One class folder and its label.
    public struct ClassFolder: Sendable, Equatable {
        public var name: String
        /// The folder; for a collection a placeholder named after it that no folder read reaches.
        public var url: URL
        public var positive: Bool
        /// The collection in the shared store the class is read from, instead of `url`.
        public var collection: String? = nil
    }

    /// The classes used, and the sub-folders of DATA that are not.
    public struct Layout: Sendable, Equatable {
        /// Positive first, the negatives in name order.
        public var classes: [ClassFolder]
        /// Sub-folders of DATA used as neither class, in name order.
        public var unused: [String]

        /// One line naming the unused sub-folders, or nil when every one is a class.
        public func unusedNote(path: String) -> String? {
            guard !unused.isEmpty else { return nil }
            return "note: \(path): not used as a class: \(unused.map { "\($0)/" }.joined(separator: ", "))"
                + " (name a folder with --negative NAME to train on it as not popular)"
        }
    }

    public enum LayoutError: Error, CustomStringConvertible, Equatable {
        case noPositiveFolder(path: String, positive: String, found: [String])
        case noNegativeFolder(path: String, positive: String)
        case noCovers(path: String, problems: Int)
        case oneClassOnly(path: String, missing: String)
        /// Two class folders, neither of them the positive one.
        case twoFoldersNoPositive(path: String, found: [String])
        /// More than two class folders, no other/, no --negative.
        case whichNegatives(path: String, positive: String, found: [String])
        /// A --negative folder that is not there.
        case noSuchNegative(path: String, name: String, found: [String])
        /// A folder named as both classes.
        case positiveAlsoNegative(name: String)

        public var description: String {
            switch self {
            case .noPositiveFolder(let p, let positive, let found):
                "\(p): no '\(positive)' sub-folder (the positive class)" + (found.isEmpty
                    ? "; expected one sub-folder per class, e.g. \(positive)/ and other/"
                    : "; found \(found.joined(separator: ", ")) — name the positive one with --positive")
            case .noNegativeFolder(let p, let positive):
                "\(p): only '\(positive)' is there; add a folder of other covers (e.g. other/) to learn what sets \(positive) apart"
            case .noCovers(let p, let problems):
                "\(p): holds no usable covers" + (problems > 0 ? " (\(problems) files could not be used; see the list above)" : " (expected \(ImageFormat.acceptedList) files, recognised by their content)")
            case .oneClassOnly(let p, let missing):
                "\(p): no usable \(missing) covers, so there is nothing to tell apart"
            case .twoFoldersNoPositive(let p, let found):
                "\(p): its two class folders are \(found.map { "\($0)/" }.joined(separator: " and ")) and neither is popular/; "
                    + "say which one holds the popular covers with --positive \(found.first ?? "NAME")"
                    + (found.count > 1 ? " or --positive \(found[1])" : "")
            case .whichNegatives(let p, let positive, let found):
                "\(p): holds \(found.count) folders besides \(positive)/ (\(found.joined(separator: ", "))) and no other/; "
                    + "name the ones that hold not-popular covers with --negative NAME (repeat it for more than one)"
            case .noSuchNegative(let p, let name, let found):
                "\(p): no '\(name)' sub-folder for --negative (found \(found.joined(separator: ", ")))"
            case .positiveAlsoNegative(let name):
                "--negative \(name) is also the positive class (--positive); a folder can be only one of the two"
            }
        }
    }

    /// The class folders, positive first, the others in name order.
    public func classes() throws -> [ClassFolder] {
        try layout().classes
    }

    /// Which sub-folders are the classes and which are left out (see the type's comment).
    public func layout() throws -> Layout {
        switch self {
        case .pair(let popular, let other):
            return Layout(classes: [ClassFolder(name: "popular", url: popular, positive: true),
                                    ClassFolder(name: "other", url: other, positive: false)], unused: [])
        case .collections(let popular, let other):
            return Layout(classes: [ClassFolder(name: "popular", url: URL(fileURLWithPath: CoverSetLocation.collectionPrefix + popular),
                                                positive: true, collection: popular),
                                    ClassFolder(name: "other", url: URL(fileURLWithPath: CoverSetLocation.collectionPrefix + other),
                                                positive: false, collection: other)], unused: [])
        case .classFolders(let root, let positive, let named):
            let folders = try Self.subfolders(of: root)
            if named.contains(positive) { throw LayoutError.positiveAlsoNegative(name: positive) }
            for name in named where !folders.contains(name) {
                throw LayoutError.noSuchNegative(path: root.path, name: name, found: folders)
            }
            let eligible = folders.filter { $0 != Self.candidatesFolder || $0 == positive || named.contains($0) }
            guard eligible.contains(positive) else {
                if named.isEmpty && eligible.count == 2 && positive == Self.defaultPositive {
                    throw LayoutError.twoFoldersNoPositive(path: root.path, found: eligible)
                }
                throw LayoutError.noPositiveFolder(path: root.path, positive: positive, found: folders)
            }
            let rest = eligible.filter { $0 != positive }
            let negatives: [String]
            if !named.isEmpty {
                negatives = rest.filter(named.contains)
            } else if rest.count == 1 {
                negatives = rest
            } else if rest.contains(Self.defaultNegative) {
                negatives = [Self.defaultNegative]
            } else if rest.isEmpty {
                throw LayoutError.noNegativeFolder(path: root.path, positive: positive)
            } else {
                throw LayoutError.whichNegatives(path: root.path, positive: positive, found: rest)
            }
            let used = Set([positive] + negatives)
            return Layout(classes: [ClassFolder(name: positive, url: root.appendingPathComponent(positive), positive: true)]
                              + negatives.map { ClassFolder(name: $0, url: root.appendingPathComponent($0), positive: false) },
                          unused: folders.filter { !used.contains($0) })
        }
    }

    /// The visible sub-folders of `root`, in byte order (as Python sorts them).
    static func subfolders(of root: URL) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw ImageFolder.FolderError.missing(root.path)
        }
        guard isDirectory.boolValue else { throw ImageFolder.FolderError.notAFolder(root.path) }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: root.path) } catch {
            throw ImageFolder.FolderError.unreadable(root.path, (error as NSError).localizedDescription)
        }
        return names.filter { name in
            var dir: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &dir)
                && dir.boolValue
        }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A path that names the data in messages and metadata.
    public var description: String {
        switch self {
        case .classFolders(let root, _, _): root.path
        case .pair(let popular, let other): "\(popular.path) + \(other.path)"
        case .collections(let popular, let other): "collection:\(popular) + collection:\(other)"
        }
    }

    /// The folders this data is read from, for the overlap check (`InputOverlap`).
    public var roots: [URL] {
        switch self {
        case .classFolders(let root, _, _): [root]
        case .pair(let popular, let other): [popular, other]
        case .collections: []
        }
    }
}
