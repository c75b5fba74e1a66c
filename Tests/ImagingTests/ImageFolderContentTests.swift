import Foundation
import Testing
@testable import Imaging

/// Issue 21, point 6: no file is left out in silence. Every regular file is judged by its bytes;
/// what is not a cover is listed in `ignored` with its reason.
@Suite struct ImageFolderContentTests {
    @Test func filesAreJudgedByContentAndTheRestIsNamed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("imagefolder-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let tiff = try Data(contentsOf: Fixtures.root.appendingPathComponent("images/tiff-lzw.tif"))
        try tiff.write(to: root.appendingPathComponent("cover-from-print.dat"))   // a TIFF without its extension
        try Data("%PDF-1.4\n".utf8).write(to: root.appendingPathComponent("proof"))   // a PDF: the decoder judges it
        try Data("title,author\n".utf8).write(to: root.appendingPathComponent("list.csv"))
        try Data().write(to: root.appendingPathComponent("empty"))
        try Data("x".utf8).write(to: root.appendingPathComponent(".DS_Store"))
        try Data("x".utf8).write(to: root.appendingPathComponent("notes.jpg"))   // image extension: the decoder says what is wrong
        #expect(mkfifo(root.appendingPathComponent("pipe").path, 0o600) == 0)

        let folder = try ImageFolder(root)
        #expect(folder.files.map(\.relativePath) == ["cover-from-print.dat", "notes.jpg", "proof"])
        #expect(folder.problems.isEmpty)
        let ignored = Dictionary(uniqueKeysWithValues: folder.ignored.map { ($0.path, $0.reason) })
        #expect(Set(ignored.keys) == [".DS_Store", ".git", "empty", "list.csv", "pipe"])
        #expect(ignored["list.csv"]?.contains("not an image (it starts with 74 69 74 6C") == true)
        #expect(ignored[".DS_Store"]?.contains("hidden") == true)
        #expect(ignored["pipe"]?.contains("not a regular file") == true)
        #expect(ignored["empty"]?.contains("empty") == true)
        #expect(try ImageDecoder.decode(contentsOf: root.appendingPathComponent("cover-from-print.dat")).info.format == .tiff)
    }
}
