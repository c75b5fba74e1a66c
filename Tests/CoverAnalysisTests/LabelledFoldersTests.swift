import CoverAnalysis
import Foundation
import Testing

/// Issue 16, point 1: which sub-folders of DATA are the two classes. Only folders are made here
/// (no covers): the layout is decided before anything is read.
@Suite("Class folders")
final class LabelledFoldersTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func make(_ names: [String]) throws -> URL {
        for name in names {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data("x".utf8).write(to: root.appendingPathComponent("notes.txt"))
        return root
    }

    func layout(_ positive: String = "popular", _ negatives: [String] = []) throws -> (classes: [String], positive: [Bool], unused: [String]) {
        let layout = try LabelledFolders.classFolders(root, positive: positive, negatives: negatives).layout()
        return (layout.classes.map(\.name), layout.classes.map(\.positive), layout.unused)
    }

    @Test("two class folders are the two classes, whatever the other one is called")
    func twoFolders() throws {
        _ = try make(["popular", "rest"])
        let found = try layout()
        #expect(found.classes == ["popular", "rest"] && found.positive == [true, false] && found.unused.isEmpty)
    }

    @Test("synth's layout: candidates/ is never a class unless named, and is named as unused")
    func candidatesAreNotAClass() throws {
        _ = try make(["popular", "other", "candidates"])
        let found = try layout()
        #expect(found.classes == ["popular", "other"])
        #expect(found.unused == ["candidates"])
        let note = try #require(try LabelledFolders.classFolders(root, positive: "popular").layout().unusedNote(path: root.path))
        #expect(note.contains("candidates/") && note.contains("--negative") && !note.contains("\n"), "\(note)")
        #expect(try layout("popular", ["candidates"]).classes == ["popular", "candidates"], "named, it is a class")
    }

    @Test("two folders, neither popular/: refused naming both and --positive; --positive picks one")
    func twoFoldersWithoutPositive() throws {
        _ = try make(["bestseller", "midlist"])
        #expect(throws: LabelledFolders.LayoutError.twoFoldersNoPositive(path: root.path, found: ["bestseller", "midlist"])) {
            _ = try self.layout()
        }
        let message = LabelledFolders.LayoutError.twoFoldersNoPositive(path: root.path, found: ["bestseller", "midlist"]).description
        #expect(message.contains("bestseller/") && message.contains("midlist/") && message.contains("--positive"), "\(message)")
        #expect(try layout("bestseller").classes == ["bestseller", "midlist"])
    }

    @Test("more than two: other/ is the negative and the rest are named; without other/ --negative is asked for")
    func moreThanTwo() throws {
        _ = try make(["popular", "other", "midlist", "backlist"])
        let found = try layout()
        #expect(found.classes == ["popular", "other"] && found.unused == ["backlist", "midlist"])
        let named = try layout("popular", ["midlist", "backlist"])
        #expect(named.classes == ["popular", "backlist", "midlist"] && named.unused == ["other"])
        try FileManager.default.removeItem(at: root.appendingPathComponent("other"))
        #expect(throws: LabelledFolders.LayoutError.whichNegatives(path: root.path, positive: "popular", found: ["backlist", "midlist"])) {
            _ = try self.layout()
        }
    }

    @Test("a --negative that is not there, or is the positive class, is refused")
    func badNegatives() throws {
        _ = try make(["popular", "other"])
        #expect(throws: LabelledFolders.LayoutError.noSuchNegative(path: root.path, name: "midlist", found: ["other", "popular"])) {
            _ = try self.layout("popular", ["midlist"])
        }
        #expect(throws: LabelledFolders.LayoutError.positiveAlsoNegative(name: "popular")) { _ = try self.layout("popular", ["popular"]) }
    }

    @Test("the same image under both labels is found on both sides and left out of both, named as skipped; a repeat on one side is not a conflict")
    func labelConflicts() {
        func item(_ folder: String, _ file: String, _ hash: String) -> LabelConflicts.Item {
            LabelConflicts.Item(name: "\(folder)/\(file)", hash: hash, positive: folder == "popular", folder: folder, file: file)
        }
        let items = [item("popular", "a.jpg", "h1"), item("popular", "b.jpg", "h2"), item("popular", "b2.jpg", "h2"),
                     item("other", "a-copy.jpg", "h1"), item("other", "c.jpg", "h3")]
        #expect(LabelConflicts.find(items) == [0: "other/a-copy.jpg", 3: "popular/a.jpg"])
        var skipped = [SkippedFile(folder: "other", file: "broken.jpg", reason: "cannot be decoded")]
        #expect(LabelConflicts.leaveOut(items, skipped: &skipped) == [1, 2, 4])
        #expect(skipped == [SkippedFile(folder: "other", file: "broken.jpg", reason: "cannot be decoded"),
                            SkippedFile(folder: "popular", file: "a.jpg", reason: LabelConflicts.reason(twin: "other/a-copy.jpg")),
                            SkippedFile(folder: "other", file: "a-copy.jpg", reason: LabelConflicts.reason(twin: "popular/a.jpg"))])
    }

    @Test("input folders that are one folder or nested are refused, naming both flags; siblings are fine")
    func overlap() throws {
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        #expect(throws: InputOverlap.OverlapError.self) { try InputOverlap.check([("--popular", a), ("--candidates", a)]) }
        #expect(throws: InputOverlap.OverlapError.self) {
            try InputOverlap.check([("--popular", a), ("--candidates", root.appendingPathComponent("a/../a/sub"))])
        }
        do {
            try InputOverlap.check([("--other", a.appendingPathComponent("x")), ("--popular", a)])
            Issue.record("a folder inside another was accepted")
        } catch let error as InputOverlap.OverlapError {
            #expect(error.description.contains("--other") && error.description.contains("inside --popular"), "\(error)")
        }
        try InputOverlap.check([("--popular", a), ("--candidates", b), ("--other", root.appendingPathComponent("ab"))])
    }
}
