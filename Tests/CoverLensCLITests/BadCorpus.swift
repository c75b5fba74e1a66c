import Foundation

/// A folder of everything that goes wrong with real cover folders (issue 8, point 1), built in a
/// temporary folder at test time from the committed decoder fixtures and the synthetic Examples/
/// covers (no real artwork, no binary blobs beyond the existing fixtures).
///
/// `bad` lists every entry a command must report once with a reason; `good` every file it must
/// process. Hostile names (spaces, Korean, emoji, HTML and shell metacharacters) are good files:
/// they must be processed and shown escaped, never interpreted.
struct BadCorpus {
    let folder: URL
    /// Relative paths that must be skipped, with a word their reason must contain.
    private(set) var bad: [String: String] = [:]
    /// Relative paths that must be processed.
    private(set) var good: [String] = []
    /// Entries only a folder walk meets (symlinks leading out or looping through folders):
    /// `inspect` is given files by name and follows what it is told.
    private(set) var walkedOnly: Set<String> = []

    static let hostileNames = [
        "name with spaces.jpg", "표지 디자인.jpg", "emoji 📚🎨.jpg",
        "<img src=x onerror=alert(1)>.jpg", "$(rm -rf ~).jpg", "quote'\"&amp;;|`.jpg",
    ]

    private static var fixtures: URL { CLI.repository.appendingPathComponent("Tests/Fixtures/images") }
    private static var examples: URL { CLI.repository.appendingPathComponent("Examples") }

    /// The synthetic covers in Examples/`role`, sorted.
    static func exampleCovers(_ role: String) throws -> [URL] {
        let folder = examples.appendingPathComponent(role)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".jpg") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Copies the first `count` covers of Examples/`role` into `folder` (created): a test's own
    /// small data set, which it may damage or delete.
    static func copyExampleCovers(_ role: String, count: Int, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for cover in try exampleCovers(role).prefix(count) {
            try FileManager.default.copyItem(at: cover, to: folder.appendingPathComponent(cover.lastPathComponent))
        }
    }

    /// Builds the corpus in `folder` (created); `outside` receives a file the corpus links to.
    init(in folder: URL, outside: URL) throws {
        self.folder = folder
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        let covers = try Self.exampleCovers("popular")
        guard covers.count >= 10 else {
            throw CLI.Missing(what: "a folder of at least ten example covers", searched: [Self.examples.path + "/popular"],
                              remedy: "restore Examples/ with `git checkout -- Examples`")
        }

        // Good: hostile names on real (synthetic) covers, and the unusual-but-valid formats.
        for (name, cover) in zip(Self.hostileNames, covers) { try copy(cover, as: name) }
        for fixture in ["png-rgb16.png", "jpeg-cmyk.jpg", "jpeg-ycck.jpg", "webp-animated.webp"] {
            try copy(Self.fixtures.appendingPathComponent(fixture), as: fixture)
        }
        try add(Self.onePixelPNG, as: "one-pixel.png", good: true)

        // Truncated at several cut points, including inside the headers and inside the image data.
        let jpeg = try Data(contentsOf: covers[7])
        for cut in [2, 100, jpeg.count / 2, jpeg.count - 64] {
            try add(jpeg.prefix(cut), as: "cut-jpeg-\(cut).jpg", reason: cut == 2 ? "not a JPEG" : "ends before")
        }
        let png = try Data(contentsOf: Self.fixtures.appendingPathComponent("png-rgba16.png"))
        for cut in [8, 33, 300, png.count / 2] { try add(png.prefix(cut), as: "cut-png-\(cut).png", reason: "ends before") }

        try add(Data(), as: "zero-bytes.jpg", reason: "empty")
        try add(Data("Chapter one. It was a dark and stormy night.\n".utf8), as: "chapter.jpg", reason: "not a JPEG, PNG")
        try add(Data("<!doctype html><html><body>Not found</body></html>\n".utf8), as: "download.png", reason: "not a JPEG, PNG")
        try add(try Data(contentsOf: Self.fixtures.appendingPathComponent("broken-crc.png")), as: "bad-crc.png", reason: "CRC")
        try add(Self.corruptHuffman(try Data(contentsOf: Self.fixtures.appendingPathComponent("jpeg-baseline.jpg"))),
                as: "bad-huffman.jpg", reason: "Huffman")
        try add(try Data(contentsOf: Self.fixtures.appendingPathComponent("bomb-30000x30000.png")), as: "bomb-wide.png", reason: "megapixel")
        try addPublisherFormats()

        // Mode 000: unreadable, unless we are root (CI containers), where it reads fine and is a good
        // file; BadInputTests.unreadableFileWithoutRoot then checks it with privileges dropped.
        try add(try Data(contentsOf: covers[6]), as: "unreadable.jpg", good: CLI.isRoot, reason: "read")
        try fm.setAttributes([.posixPermissions: 0o000], ofItemAtPath: folder.appendingPathComponent("unreadable.jpg").path)

        // Folder-shaped problems.
        try fm.createDirectory(at: folder.appendingPathComponent("cover.jpg"), withIntermediateDirectories: true)
        bad["cover.jpg"] = "folder"
        // Named without "loop", so the reason check cannot match the name itself.
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("circular.jpg").path, withDestinationPath: "circular.jpg")
        bad["circular.jpg"] = "symlink loop"
        try fm.createDirectory(at: folder.appendingPathComponent("nested"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("nested/up").path, withDestinationPath: "..")
        bad["nested/up"] = "symlink loop"
        walkedOnly.insert("nested/up")
        let target = outside.appendingPathComponent("outside-target.jpg")
        try fm.copyItem(at: covers[8], to: target)
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("leads-outside.jpg").path, withDestinationPath: target.path)
        bad["leads-outside.jpg"] = "outside"
        walkedOnly.insert("leads-outside.jpg")
    }

    private mutating func copy(_ source: URL, as name: String) throws {
        try add(try Data(contentsOf: source), as: name, good: true)
    }

    mutating func add(_ data: Data, as name: String, good isGood: Bool = false, reason: String = "") throws {
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)   // its error names the file and the reason
        if isGood { good.append(name) } else { bad[name] = reason }
    }

    /// Every top-level entry, as paths for `inspect` (which takes files, not folders).
    var inspectable: [String] {
        (good + bad.keys.filter { !walkedOnly.contains($0) }).sorted().map { folder.appendingPathComponent($0).path }
    }

    /// A 1×1 RGB PNG (stored deflate block, so no zlib is needed to write it).
    static var onePixelPNG: Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
        }
        let raw: [UInt8] = [0, 200, 48, 48]  // filter 0, one reddish pixel
        var adlerA: UInt32 = 1, adlerB: UInt32 = 0
        for byte in raw { adlerA = (adlerA + UInt32(byte)) % 65521; adlerB = (adlerB + adlerA) % 65521 }
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(raw.count), 0, ~UInt8(raw.count), 0xFF] + raw + bigEndian(adlerB << 16 | adlerA)
        let header = bigEndian(1) + bigEndian(1) + [8, 2, 0, 0, 0]
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", []))
    }

    /// `jpeg` with its first Huffman table's 16 code counts set to 255 (more codes than exist).
    static func corruptHuffman(_ jpeg: Data) -> Data {
        var bytes = [UInt8](jpeg)
        for i in 0..<(bytes.count - 21) where bytes[i] == 0xFF && bytes[i + 1] == 0xC4 {
            for j in (i + 5)..<(i + 21) { bytes[j] = 0xFF }
            break
        }
        return Data(bytes)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Lines of `lines` that name `path` as the subject of a message (`…/path: reason` or `path: reason`).
    static func lines(_ lines: [String], naming path: String) -> [String] {
        lines.filter { $0.hasPrefix(path + ":") || $0.contains("/" + path + ":") || $0.contains(" " + path + ":") }
    }
}
