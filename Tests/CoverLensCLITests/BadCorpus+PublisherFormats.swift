import Foundation

/// Issue 21's part of the corpus: a publisher's TIFF, PDF and HEIC covers as good files, and
/// truncated and hostile ones as bad files, each with the word its reason must contain. The good
/// files come from scripts/fixtures/make_publisher_fixtures.sh; the hostile TIFFs are written here.
extension BadCorpus {
    mutating func addPublisherFormats() throws {
        let fixtures = CLI.repository.appendingPathComponent("Tests/Fixtures/images")
        let tiff = try Data(contentsOf: fixtures.appendingPathComponent("tiff-lzw.tif"))
        let pdf = try Data(contentsOf: fixtures.appendingPathComponent("pdf-page.pdf"))
        let heic = try Data(contentsOf: fixtures.appendingPathComponent("heic-pattern.heic"))
        // Named without an image extension: judged by content, so a folder scan must still use them.
        try add(tiff, as: "print-cover.tif", good: true)
        try add(pdf, as: "print-cover.pdf", good: true)
        try add(heic, as: "phone-photo.heic", good: true)

        for cut in [8, tiff.count / 2] { try add(tiff.prefix(cut), as: "cut-tiff-\(cut).tif", reason: "ends before") }
        try add(pdf.prefix(pdf.count / 2), as: "cut-pdf.pdf", reason: "ends before")
        try add(heic.prefix(heic.count / 2), as: "cut-heic.heic", reason: "ends before")

        try add(Self.tiff([(256, 1_000_000), (257, 1_000_000), (258, 8), (262, 1), (273, 200), (277, 1), (278, 1_000_000), (279, 100)],
                          padding: 200), as: "bomb-tiff.tif", reason: "megapixel")
        try add(Self.tiff([(256, 10), (257, 10), (258, 8), (262, 1), (277, 1), (278, 10), (279, 100)]),
                as: "no-strips.tif", reason: "damaged")
        var garbage = Data("II*\0".utf8) + Data([8, 0, 0, 0, 0xFF, 0xFF])
        garbage += Data(repeating: 0xFF, count: 64)
        try add(garbage, as: "garbage-ifd.tif", reason: "damaged")
        try add(Data("%PDF-1.4\nnot a page at all\n%%EOF\n".utf8), as: "hostile.pdf", reason: "damaged")
    }

    /// A little-endian TIFF whose IFD holds `entries` as LONG values, then `padding` zero bytes.
    private static func tiff(_ entries: [(tag: UInt16, value: UInt32)], padding: Int = 0) -> Data {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        var bytes: [UInt8] = Array("II*\0".utf8) + le(UInt32(8)) + le(UInt16(entries.count))
        for entry in entries { bytes += le(entry.tag) + le(UInt16(4)) + le(UInt32(1)) + le(entry.value) }
        return Data(bytes + le(UInt32(0)) + [UInt8](repeating: 0, count: padding))
    }
}
