import Foundation
import Testing
@testable import Imaging

@Suite struct ImageFolderTests {
    /// A scratch folder that removes itself.
    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("imagefolder-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func file(_ path: String, _ text: String = "x") throws {
            let target = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    @Test func listsImageFilesRecursivelyInByteOrder() throws {
        let s = try Scratch()
        try s.file("b.png"); try s.file("A.JPG"); try s.file("sub/c.webp"); try s.file("notes.txt")
        try s.file(".hidden.png"); try s.file("표지 1.jpg")
        let folder = try ImageFolder(s.url)
        #expect(folder.files.map(\.relativePath) == ["A.JPG", "b.png", "sub/c.webp", "표지 1.jpg"])
        #expect(folder.problems.isEmpty)
    }

    @Test func reportsADirectoryNamedLikeAnImage() throws {
        let s = try Scratch()
        try FileManager.default.createDirectory(at: s.url.appendingPathComponent("cover.jpg"), withIntermediateDirectories: true)
        let folder = try ImageFolder(s.url)
        #expect(folder.files.isEmpty)
        #expect(folder.problems.map(\.path) == ["cover.jpg"])
    }

    @Test func symlinkLoopIsReportedOnceAndDoesNotHang() throws {
        let s = try Scratch()
        try s.file("sub/a.png")
        try FileManager.default.createSymbolicLink(atPath: s.url.appendingPathComponent("sub/loop").path,
                                                   withDestinationPath: s.url.appendingPathComponent("sub").path)
        try FileManager.default.createSymbolicLink(atPath: s.url.appendingPathComponent("self.jpg").path,
                                                   withDestinationPath: s.url.appendingPathComponent("self.jpg").path)
        let folder = try ImageFolder(s.url)
        #expect(folder.files.map(\.relativePath) == ["sub/a.png"])
        #expect(Set(folder.problems.map(\.path)) == ["self.jpg", "sub/loop"])
    }

    @Test func symlinksOutsideTheFolderNeedPermission() throws {
        let inside = try Scratch(), outside = try Scratch()
        try outside.file("elsewhere.png")
        try FileManager.default.createSymbolicLink(atPath: inside.url.appendingPathComponent("link.png").path,
                                                   withDestinationPath: outside.url.appendingPathComponent("elsewhere.png").path)
        let strict = try ImageFolder(inside.url)
        #expect(strict.files.isEmpty)
        #expect(strict.problems.first?.reason.contains("--follow-symlinks") == true)
        let following = try ImageFolder(inside.url, followSymlinks: true)
        #expect(following.files.map(\.relativePath) == ["link.png"])
    }

    @Test func missingFolderAndFileGiveClearErrors() throws {
        let s = try Scratch()
        try s.file("a.png")
        #expect(throws: ImageFolder.FolderError.self) { try ImageFolder(s.url.appendingPathComponent("nope")) }
        do {
            _ = try ImageFolder(s.url.appendingPathComponent("a.png"))
            Issue.record("a file accepted as a folder")
        } catch {
            #expect("\(error)".contains("a.png") && "\(error)".contains("not a folder"))
        }
    }
}
