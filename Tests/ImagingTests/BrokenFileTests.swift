import Foundation
import Imaging
import Testing

/// Broken, misleading and hostile files: each gives its own error, and the message names the file.
@Suite struct BrokenFileTests {
    @Test(arguments: ["broken-truncated.jpg", "broken-truncated-progressive.jpg", "broken-truncated.png",
                      "broken-truncated.webp"])
    func truncatedFilesSayTruncated(_ name: String) {
        expectError(name, "ends before the image does") { if case .truncated = $0 { true } else { false } }
    }

    @Test func emptyFile() {
        expectError("broken-empty.jpg", "empty (0 bytes)") { if case .empty = $0 { true } else { false } }
    }

    @Test func textNamedJpgIsNotAnImage() {
        expectError("broken-text.jpg", "\"<!DOCTYP\"") { if case .notAnImage = $0 { true } else { false } }
    }

    @Test func badCRCIsCorrupt() {
        expectError("broken-crc.png", "CRC") { if case .corrupt = $0 { true } else { false } }
    }

    @Test(arguments: ["bomb-30000x30000.png", "bomb-30000x30000.jpg"])
    func bombHeaderIsRefusedBeforeDecoding(_ name: String) {
        expectError(name, "30000×30000 is 900 megapixels, over the 100 megapixel limit") {
            if case .tooLarge(_, 30000, 30000, 100) = $0 { true } else { false }
        }
    }

    @Test func lowerLimitRefusesSmallImages() {
        let limits = DecodeLimits(maxMegapixels: 0.0001)   // 100 pixels; the fixtures have 192
        for name in ["png-rgb8.png", "jpeg-baseline.jpg", "webp-lossy.webp", "webp-animated.webp"] {
            expectError(name, "16×12 is 0.000192 megapixels, over the 0.0001 megapixel limit; raise it with --max-megapixels", limits: limits) { if case .tooLarge(_, 16, 12, _) = $0 { true } else { false } }
        }
    }

    @Test func gifIsUnsupported() {
        expectError("unsupported.gif", "a GIF image is not supported") { if case .unsupported = $0 { true } else { false } }
    }

    @Test func twelveBitJPEGIsUnsupported() {
        expectError("unsupported-12bit.jpg", "Unsupported JPEG data precision 12") {
            if case .unsupported = $0 { true } else { false }
        }
    }

    @Test func deviceIsNotARegularFile() {
        let result = Result { () throws(DecodeError) in try ImageDecoder.decode(path: "/dev/zero") }
        guard case .failure(.unreadable(let path, let reason)) = result else {
            Issue.record("/dev/zero should be unreadable, got \(result)")
            return
        }
        #expect(path == "/dev/zero" && reason.contains("not a regular file"), "\(reason)")
    }

    @Test func missingFileIsUnreadable() {
        expectError("no-such-file.png", "no such file") { if case .unreadable = $0 { true } else { false } }
    }

    @Test func folderIsUnreadable() {
        let folder = DecoderFixtures.image("")
        let result = Result { () throws(DecodeError) in try ImageDecoder.decode(contentsOf: folder) }
        guard case .failure(let error) = result, case .unreadable = error else {
            Issue.record("a folder should be unreadable, got \(result)")
            return
        }
        #expect(error.description.contains("folder"), "\(error)")
    }

    /// Every prefix of a valid file cut inside its image data fails with an error naming the file,
    /// most of them as truncated (the common case must say "ends early", not "damaged"); one that
    /// lacks only what follows the image data (a PNG's IEND chunk, a JPEG's end marker) decodes to
    /// the whole image with a warning, as PIL does; a progressive JPEG cut after its last first scan
    /// (only refinement missing) decodes with a warning that says so. None crashes, and none passes
    /// silently as a whole image.
    @Test(arguments: ["jpeg-baseline.jpg", "jpeg-progressive.jpg", "png-interlaced.png", "png-palette-trns.png",
                      "webp-lossy-alpha.webp", "webp-animated.webp", "tiff-lzw.tif", "heic-pattern.heic"])
    func everyPrefixFailsCleanly(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        let whole = try DecoderFixtures.decode(name).get()
        let dataEnd = Self.imageDataEnd(bytes)
        let refinementStart = JPEGScans(bytes)?.firstScansEnd ?? dataEnd
        var failures = 0, truncated = 0
        for length in 0 ..< bytes.count {
            let result = Result { () throws(DecodeError) in
                try ImageDecoder.decode(bytes: Array(bytes[..<length]), name: name)
            }
            switch result {
            case .failure(let error):
                failures += 1
                if case .truncated = error { truncated += 1 }
                #expect(error.description.hasPrefix(name), "\(name)[..<\(length)]: message \(error)")
                #expect(length < dataEnd, "\(name)[..<\(length)] lacks only what follows the image data but failed: \(error)")
            case .success(let decoded):
                #expect(length >= refinementStart, "\(name)[..<\(length)] is cut inside the image data (which ends at \(dataEnd)) but decoded")
                #expect(!decoded.info.warnings.isEmpty, "\(name)[..<\(length)] decoded without a warning")
                if length >= dataEnd {
                    #expect(decoded.image == whole.image, "\(name)[..<\(length)] decoded to other pixels")
                } else {
                    #expect(decoded.info.warnings.contains { $0.contains("refinement scans") }, "\(name)[..<\(length)]: \(decoded.info.warnings)")
                }
            }
        }
        #expect(failures > bytes.count / 2, "\(name): only \(failures) prefixes failed")
        #expect(truncated > failures / 3, "\(name): only \(truncated) of \(failures) failed prefixes reported as truncated")
    }

    /// Where a file's image data ends: for PNG the start of the IEND chunk (12 bytes: length,
    /// type, CRC), for JPEG the start of its end marker (FF D9), for the others the end of the
    /// file (WebP keeps nothing after its last chunk, a TIFF's directory or a HEIF's media data
    /// may come last).
    static func imageDataEnd(_ bytes: [UInt8]) -> Int {
        let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])
        if isPNG && bytes.suffix(8).starts(with: Array("IEND".utf8)) { return bytes.count - 12 }
        if bytes.starts(with: [0xFF, 0xD8]) && bytes.suffix(2) == [0xFF, 0xD9] { return bytes.count - 2 }
        return bytes.count
    }

    private func expectError(_ name: String, _ phrase: String, limits: DecodeLimits = .default,
                             sourceLocation: SourceLocation = #_sourceLocation,
                             _ matches: (DecodeError) -> Bool) {
        switch DecoderFixtures.decode(name, limits: limits) {
        case .success(let decoded):
            Issue.record("\(name) decoded to \(decoded.width)×\(decoded.height) but should fail", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(matches(error), "\(name): wrong error \(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(name), "\(name): message does not name the file: \(error)",
                    sourceLocation: sourceLocation)
            #expect(error.description.contains(phrase), "\(name): message lacks \"\(phrase)\": \(error)",
                    sourceLocation: sourceLocation)
        }
    }
}
